package dev.strata.bench;

import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench --batch}: decode tokens/s of B sequences that each advance one token per step, in the
 * style of llama-batched-bench (S_TG: aggregate, and per sequence). Each sequence is first given the
 * same {@code prompt} (untimed). Strata advances the B sequences one after another within a step, as
 * its runtime does today; llama.cpp advances them in one llama_decode.
 */
public final class BatchedDecodeBench {
    private BatchedDecodeBench() {}

    /** One batch size on one backend: aggregate tokens/s per repetition. */
    public record Row(String model, String backend, int batch, int promptTokens, int steps, double[] aggregate) {
        public double mean() {
            return Arrays.stream(aggregate).average().orElse(Double.NaN);
        }

        public double sd() {
            int n = aggregate.length;
            if (n < 2) return 0;
            double m = mean(), sq = 0;
            for (double v : aggregate) sq += (v - m) * (v - m);
            return Math.sqrt(sq / (n - 1));
        }
    }

    public static double[] strata(Engine engine, int batch, int[] prompt, int[] steps, int repetitions) {
        double[] rates = new double[repetitions];
        for (int r = -1; r < repetitions; r++) { // r = -1: warm-up
            List<Sequence> seqs = new ArrayList<>();
            for (int s = 0; s < batch; s++) {
                Sequence seq = engine.newSequence(null, 0, prompt.length + steps.length);
                engine.forward().forward(seq, prompt, false, new ForwardStats());
                seqs.add(seq);
            }
            ForwardStats stats = new ForwardStats();
            dev.strata.runtime.Batch step = new dev.strata.runtime.Batch();
            long t0 = System.nanoTime();
            for (int i = 0; i < steps.length; i++) {
                step.clear();
                for (Sequence seq : seqs) step.add(seq, steps, i, 1, false);
                engine.forward().forward(step, stats); // one pass: every weight row read once for all B sequences
            }
            long nanos = System.nanoTime() - t0;
            if (r >= 0) rates[r] = (double) batch * steps.length * 1e9 / nanos;
        }
        return rates;
    }

    /** llama-batched-bench's table, with the Strata/llama.cpp ratio where both ran. */
    public static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder("\n| model | backend | B | PP | TG | S_TG t/s (aggregate) | per sequence t/s | vs llama.cpp |\n");
        sb.append("| ----- | ------- | -: | -: | -: | -------------------: | ---------------: | -----------: |\n");
        for (Row r : rows) {
            String ratio = rows.stream().filter(o -> o.backend().startsWith(BenchReport.LLAMA_CPP) && o.model().equals(r.model())
                            && o.batch() == r.batch() && !r.backend().startsWith(BenchReport.LLAMA_CPP))
                    .findFirst().map(o -> String.format(Locale.ROOT, "%.2f", r.mean() / o.mean())).orElse("");
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %.2f ± %.2f | %.2f | %s |%n", r.model(), r.backend(), r.batch(),
                    r.promptTokens(), r.steps(), r.mean(), r.sd(), r.mean() / r.batch(), ratio));
        }
        return sb.toString();
    }
}
