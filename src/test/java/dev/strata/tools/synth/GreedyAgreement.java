package dev.strata.tools.synth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import de.kherud.llama.LlamaCppOracle;
import dev.strata.weights.Model;
import dev.strata.runtime.ExecutionPlan;
import dev.strata.runtime.Forward;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;
import dev.strata.runtime.WorkerPool;
import dev.strata.tensor.KernelProvider;
import dev.strata.tensor.Kernels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Strata's greedy tokens against llama.cpp's on the same file: equal piece by piece, except that they
 * may part after a step where Strata's own top-1/top-2 logit gap is below 0.2 (a near tie).
 */
public final class GreedyAgreement {
    static final KernelProvider K = Kernels.select("auto");
    static final float NEAR_TIE = 0.2f;

    private GreedyAgreement() {}

    /** Returns the number of steps that matched before any tolerated divergence. */
    public static int check(Path model, List<String> prompts, int steps) {
        return check(model, prompts, steps, NEAR_TIE);
    }

    public static int check(Path model, List<String> prompts, int steps, float nearTie) {
        int matched = 0;
        try (LlamaCppOracle llama = new LlamaCppOracle(model, 256); WorkerPool pool = new WorkerPool(2); Model m = Model.load(model, K)) {
            for (String text : prompts) {
                int[] prompt = llama.tokenize(text);
                List<Float> gaps = new ArrayList<>();
                List<Integer> mine = greedy(m, pool, prompt, steps, gaps);
                assertTrue(new HashSet<>(mine).size() > 2, model.getFileName() + ": greedy output is degenerate " + mine);
                List<String> theirs = llama.greedyPieces(prompt, steps);
                for (int i = 0; i < steps; i++) {
                    String piece = llama.piece(mine.get(i));
                    if (!piece.equals(theirs.get(i))) {
                        assertTrue(gaps.get(i) < nearTie, model.getFileName() + " '" + text + "' step " + i + ": Strata '" + piece
                                + "' vs llama.cpp '" + theirs.get(i) + "' with top-2 gap " + gaps.get(i));
                        System.out.printf("%s: diverged at step %d after a near tie (gap %.3f)%n", model.getFileName(), i, gaps.get(i));
                        break;
                    }
                    matched++;
                }
            }
        }
        System.out.printf("%s: %d greedy steps equal to llama.cpp over %d prompts%n", model.getFileName(), matched, prompts.size());
        return matched;
    }

    static List<Integer> greedy(Model m, WorkerPool pool, int[] prompt, int n, List<Float> gaps) {
        Forward f = new Forward(m, K, pool);
        Sequence seq = new Sequence(m.config(), ExecutionPlan.identity(m.config().blockCount()), prompt.length + n + 1, 0);
        List<Integer> out = new ArrayList<>();
        float[] logits = f.forward(seq, prompt, false, new ForwardStats());
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int v = 1; v < logits.length; v++) if (logits[v] > logits[best]) best = v;
            float second = Float.NEGATIVE_INFINITY;
            for (int v = 0; v < logits.length; v++) if (v != best) second = Math.max(second, logits[v]);
            gaps.add(logits[best] - second);
            out.add(best);
            logits = f.forward(seq, new int[] {best}, false, new ForwardStats());
        }
        return out;
    }
}
