package dev.strata.bench;

import de.kherud.llama.LlamaCppRunner;
import java.nio.file.Path;

/**
 * The llama.cpp side of {@code --vs-llamacpp}: the same file, token ids, p, n and threads as the
 * Strata run. Per-token accounting is copied from Strata's run of the same file, because both
 * read the same weights; llama.cpp does not report it.
 */
public final class LlamaCppBenchRunner implements AutoCloseable {
    private final LlamaCppRunner llama;
    private final MeasurementLog log;
    private final int threads;

    public LlamaCppBenchRunner(Path gguf, int threads, int p, int n, MeasurementLog log) {
        this.llama = new LlamaCppRunner(gguf, Math.max(p, n + 1) + 8, threads, Math.max(512, p));
        this.log = log;
        this.threads = threads;
    }

    public BenchResult promptProcessing(ModelDescription model, int[] prompt, int repetitions, BenchResult strataRow) {
        llama.promptNanos(prompt);
        double[] rates = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            long nanos = llama.promptNanos(prompt);
            rates[r] = prompt.length * 1e9 / nanos;
            log.measurement(model.label(), "llama.cpp", "ggml", threads, strataRow.test(), r, prompt.length, nanos, -1, -1);
        }
        return row(model, strataRow, prompt.length, rates);
    }

    public BenchResult tokenGeneration(ModelDescription model, int promptToken, int steps, int repetitions, BenchResult strataRow) {
        llama.decodeNanos(promptToken, steps);
        double[] rates = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            long nanos = llama.decodeNanos(promptToken, steps);
            rates[r] = steps * 1e9 / nanos;
            log.measurement(model.label(), "llama.cpp", "ggml", threads, strataRow.test(), r, steps, nanos, -1, -1);
        }
        return row(model, strataRow, steps, rates);
    }

    private BenchResult row(ModelDescription model, BenchResult strataRow, int tokens, double[] rates) {
        return new BenchResult(model.label(), model.sizeBytes(), model.params(), "llama.cpp", "ggml", threads, strataRow.test(),
                tokens, rates, strataRow.weightBytesPerToken(), strataRow.multiplyAddsPerToken(), null);
    }

    @Override
    public void close() {
        llama.close();
    }
}
