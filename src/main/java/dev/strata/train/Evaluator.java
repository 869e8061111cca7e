package dev.strata.train;

import dev.strata.train.curriculum.Curriculum;
import dev.strata.train.curriculum.Family;
import dev.strata.train.curriculum.Problem;
import dev.strata.train.curriculum.Split;
import dev.strata.train.model.GreedyDecoder;
import dev.strata.train.model.TransformerModel;
import dev.strata.train.tokenize.TrainTokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Validation loss and bits per byte on fixed batches from the validation split, and exact-match
 * accuracy of greedy answers on held-out test problems, per family and difficulty.
 */
public final class Evaluator {
    public record ValidationResult(double loss, double bitsPerByte) {}

    private final TrainTokenizer tokenizer;
    private final List<int[][]> valBatches = new ArrayList<>();

    public Evaluator(TrainTokenizer tokenizer, List<Family> families, int minDifficulty, int maxDifficulty,
                     int batch, int seqLen, int valBatches, long seed) {
        this.tokenizer = tokenizer;
        BatchBuilder builder = new BatchBuilder(new Curriculum(seed, Split.VAL, families, minDifficulty, maxDifficulty),
                tokenizer, batch, seqLen);
        for (int i = 0; i < valBatches; i++) this.valBatches.add(builder.next());
    }

    /** Mean masked cross-entropy in nats, and the same total in bits over the UTF-8 bytes of the targets. */
    public ValidationResult validate(DataParallelTrainer trainer, int[] path) {
        double nats = 0;
        long tokens = 0, bytes = 0;
        for (int[][] b : valBatches) {
            int counted = 0;
            for (int target : b[1]) {
                if (target < 0) continue;
                counted++;
                bytes += tokenizer.tokenBytes(target).length;
            }
            nats += trainer.loss(b[0], b[1], path) * counted;
            tokens += counted;
        }
        return new ValidationResult(nats / tokens, nats / Math.log(2) / bytes);
    }

    /**
     * Greedy-decodes {@code perCell} test problems for each family and difficulty, in parallel, and
     * returns the exact-match rate keyed "family.dN" in family then difficulty order.
     */
    public Map<String, Double> taskAccuracy(TransformerModel model, int[] path, List<Family> families, int minDifficulty,
                                            int maxDifficulty, int perCell, int threads, long seed) {
        record Cell(Family family, int difficulty, List<Problem> problems) {}
        List<Cell> cells = new ArrayList<>();
        for (Family f : families) {
            for (int d = minDifficulty; d <= maxDifficulty; d++) {
                SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + f.ordinal() * 100L + d);
                List<Problem> ps = new ArrayList<>();
                for (int i = 0; i < perCell; i++) ps.add(Curriculum.sample(f, d, Split.TEST, rng));
                cells.add(new Cell(f, d, ps));
            }
        }
        int newline = tokenizer.encode("\n")[0];
        int contextLength = model.config().contextLength();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            ThreadLocal<GreedyDecoder> decoders = ThreadLocal.withInitial(() -> new GreedyDecoder(model, path));
            for (Cell cell : cells) {
                for (Problem problem : cell.problems()) {
                    results.add(pool.submit(() -> {
                        int[] prompt = tokenizer.encode(problem.plainPrefix());
                        int budget = Math.min(contextLength - prompt.length, tokenizer.encode(problem.target()).length * 2 + 8);
                        if (budget <= 0) return 0;
                        int[] out = decoders.get().generate(prompt, budget, newline);
                        return problem.isCorrect(tokenizer.decode(out)) ? 1 : 0;
                    }));
                }
            }
            Map<String, Double> accuracy = new LinkedHashMap<>();
            int r = 0;
            for (Cell cell : cells) {
                int correct = 0;
                for (int i = 0; i < cell.problems().size(); i++) correct += results.get(r++).get();
                accuracy.put(cell.family().id() + ".d" + cell.difficulty(), correct / (double) cell.problems().size());
            }
            return accuracy;
        } catch (Exception e) {
            throw new dev.strata.StrataException("evaluation failed: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
    }
}
