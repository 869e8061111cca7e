package dev.strata.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.ToLongFunction;

/**
 * Strata and llama.cpp timed in alternation, repetition by repetition, on the same tokens: on a
 * shared machine the load drifts over minutes, and alternating puts both backends under the same
 * drift, so the ratio of one pair is fairer than the ratio of two blocks run one after the other.
 * tg repetition r decodes tokens from seed 42 + r in both (fresh tokens per run keep an expert
 * cache from scoring hits merely because the previous run routed the same tokens).
 */
public final class SideBySide {
    private SideBySide() {}

    public static List<BenchResult> prompt(StrataBenchRunner strata, LlamaCppBenchRunner llama, ModelDescription model, int threads,
                                           int p, int repetitions, int vocabSize, MeasurementLog log) {
        int[] tokens = StrataBenchRunner.randomTokens(p, vocabSize);
        return alternate(strata, llama, model, threads, "pp" + p, p, repetitions, log, tokens, r -> tokens, strata::runPrompt, llama::runPrompt);
    }

    public static List<BenchResult> generation(StrataBenchRunner strata, LlamaCppBenchRunner llama, ModelDescription model, int threads,
                                               int n, int repetitions, int vocabSize, MeasurementLog log) {
        return alternate(strata, llama, model, threads, "tg" + n, n, repetitions, log, StrataBenchRunner.randomTokens(n + 1, vocabSize),
                r -> StrataBenchRunner.randomTokens(n + 1, vocabSize, 42 + r), strata::runGeneration, llama::runGeneration);
    }

    /** Warms both on {@code warm}, then times repetition r of each on {@code tokens(r)}, Strata first. */
    private static List<BenchResult> alternate(StrataBenchRunner strata, LlamaCppBenchRunner llama, ModelDescription model, int threads,
                                               String test, int count, int repetitions, MeasurementLog log, int[] warm,
                                               IntFunction<int[]> tokens, Function<int[], StrataBenchRunner.Run> strataRun,
                                               ToLongFunction<int[]> llamaRun) {
        strata.warmUp(() -> strataRun.apply(warm));
        llamaRun.applyAsLong(warm);
        List<StrataBenchRunner.Run> runs = new ArrayList<>();
        double[] rates = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            int[] t = tokens.apply(r);
            runs.add(strataRun.apply(t));
            long nanos = llamaRun.applyAsLong(t);
            rates[r] = count * 1e9 / nanos;
            log.measurement(model.label(), BenchReport.LLAMA_CPP, llama.kernels(), threads, test, r, count, nanos, -1, -1);
        }
        BenchResult strataRow = strata.summarize(model, threads, test, count, runs);
        return List.of(strataRow, llama.row(model, test, count, rates, strataRow));
    }
}
