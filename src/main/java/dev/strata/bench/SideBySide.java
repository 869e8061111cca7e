package dev.strata.bench;

import java.util.ArrayList;
import java.util.List;

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
        strata.warmUp(() -> strata.runPrompt(tokens));
        llama.runPrompt(tokens);
        List<StrataBenchRunner.Run> runs = new ArrayList<>();
        double[] rates = new double[repetitions];
        String test = "pp" + p;
        for (int r = 0; r < repetitions; r++) {
            runs.add(strata.runPrompt(tokens));
            long nanos = llama.runPrompt(tokens);
            rates[r] = p * 1e9 / nanos;
            log.measurement(model.label(), BenchReport.LLAMA_CPP, llama.kernels(), threads, test, r, p, nanos, -1, -1);
        }
        BenchResult strataRow = strata.summarize(model, threads, test, p, runs);
        return List.of(strataRow, llama.row(model, test, p, rates, strataRow));
    }

    public static List<BenchResult> generation(StrataBenchRunner strata, LlamaCppBenchRunner llama, ModelDescription model, int threads,
                                               int n, int repetitions, int vocabSize, MeasurementLog log) {
        int[] warm = StrataBenchRunner.randomTokens(n + 1, vocabSize);
        strata.warmUp(() -> strata.runGeneration(warm));
        llama.runGeneration(warm);
        List<StrataBenchRunner.Run> runs = new ArrayList<>();
        double[] rates = new double[repetitions];
        String test = "tg" + n;
        for (int r = 0; r < repetitions; r++) {
            int[] tokens = StrataBenchRunner.randomTokens(n + 1, vocabSize, 42 + r);
            runs.add(strata.runGeneration(tokens));
            long nanos = llama.runGeneration(tokens);
            rates[r] = n * 1e9 / nanos;
            log.measurement(model.label(), BenchReport.LLAMA_CPP, llama.kernels(), threads, test, r, n, nanos, -1, -1);
        }
        BenchResult strataRow = strata.summarize(model, threads, test, n, runs);
        return List.of(strataRow, llama.row(model, test, n, rates, strataRow));
    }
}
