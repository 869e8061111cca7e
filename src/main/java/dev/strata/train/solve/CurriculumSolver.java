package dev.strata.train.solve;

import dev.strata.StrataException;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;
import dev.strata.tokenizer.Tokenizer;
import dev.strata.train.curriculum.Curriculum;
import dev.strata.train.curriculum.Family;
import dev.strata.train.curriculum.Problem;
import dev.strata.train.curriculum.Split;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Solves held-out curriculum problems with Strata's inference engine (not the trainer's forward):
 * the prompt in the model's plain format, then greedy tokens until the newline that ends an
 * answer. Problems run in parallel, one sequence each, over the engine's shared weights.
 */
public final class CurriculumSolver {
    /** One attempt: the model's output line, whether it was right, and the tokens it took. */
    public record Attempt(Problem problem, String output, boolean correct, boolean overContext, int promptTokens, int generatedTokens) {}

    private final Engine engine;
    private final String layers;
    private final int expertsPerToken;
    private final ForwardStats total = new ForwardStats();

    /** Solves with the model's own layer path and experts per token. */
    public CurriculumSolver(Engine engine) {
        this(engine, null, 0);
    }

    /** Solves with a layer path (null = the model's) and experts per token (0 = the model's). */
    public CurriculumSolver(Engine engine, String layers, int expertsPerToken) {
        this.engine = engine;
        this.layers = layers;
        this.expertsPerToken = expertsPerToken;
    }

    /** The held-out test problems of one cell, the same for a given seed whatever else is asked. */
    public static List<Problem> testProblems(Family family, int difficulty, int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + family.ordinal() * 100L + difficulty);
        List<Problem> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(Curriculum.sample(family, difficulty, Split.TEST, rng));
        return out;
    }

    public List<Attempt> solveAll(List<Problem> problems, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<Attempt>> futures = new ArrayList<>();
            for (Problem p : problems) futures.add(pool.submit(() -> solve(p)));
            List<Attempt> out = new ArrayList<>(problems.size());
            for (Future<Attempt> f : futures) out.add(f.get());
            return out;
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof StrataException se) throw se;
            throw new StrataException("solving curriculum problems failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Greedy answer to one problem. Generation stops at the newline or end-of-generation token, or
     * after twice the reference answer's length plus 8 tokens (as the trainer's evaluator does).
     */
    public Attempt solve(Problem problem) {
        ForwardStats stats = new ForwardStats();
        Attempt a = solve(engine, problem, ctx -> engine.newSequence(layers, expertsPerToken, ctx), stats);
        synchronized (total) {
            total.add(stats);
        }
        return a;
    }

    /** The summed accounting counters of every problem this solver ran. */
    public ForwardStats total() {
        synchronized (total) {
            ForwardStats copy = new ForwardStats();
            copy.add(total);
            return copy;
        }
    }

    /**
     * The one scorer that {@code demo} and the evaluation harness share: {@code newSequence} makes a
     * sequence of the given context length running the variant's plan, and {@code stats} collects
     * the cost of every forward pass.
     */
    public static Attempt solve(Engine engine, Problem problem, IntFunction<Sequence> newSequence, ForwardStats stats) {
        Tokenizer tok = engine.tokenizer();
        int contextLength = engine.model().config().contextLength();
        int[] prompt = tok.encode(problem.plainPrefix(), true, false);
        int budget = Math.min(contextLength - prompt.length, 2 * tok.encode(problem.target(), false, false).length + 8);
        if (budget <= 0) return new Attempt(problem, "", false, true, prompt.length, 0);
        Sequence seq = newSequence.apply(prompt.length + budget);
        float[] logits = engine.forward().forward(seq, prompt, false, stats);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        int generated = 0;
        while (true) {
            int best = argmax(logits);
            generated++;
            byte[] piece = tok.piece(best, false); // control tokens render as nothing
            text.writeBytes(piece);
            boolean endOfLine = new String(piece, StandardCharsets.UTF_8).contains("\n");
            if (endOfLine || tok.vocab().isEndOfGeneration(best) || generated >= budget) break;
            logits = engine.forward().forward(seq, new int[] {best}, false, stats);
        }
        seq.release();
        String output = text.toString(StandardCharsets.UTF_8);
        return new Attempt(problem, output, problem.isCorrect(output), false, prompt.length, generated);
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }
}
