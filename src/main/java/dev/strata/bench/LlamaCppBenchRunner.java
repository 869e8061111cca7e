package dev.strata.bench;

import dev.strata.StrataException;
import dev.strata.bench.llamacpp.LlamaCppContext;
import dev.strata.bench.llamacpp.LlamaCppLibrary;
import java.nio.file.Path;

/**
 * The llama.cpp side of {@code --vs-llamacpp}: the npm prebuilt llama.cpp with its best CPU variant
 * for this machine, in process through FFM, on the same file, token ids, p, n and threads as the
 * Strata run. pp = one llama_decode of p tokens from an empty cache; tg = n single-token decodes
 * after a one-token prompt, as llama-bench does; batched = B sequences advancing one token each per
 * llama_decode, as llama-batched-bench does. Per-token accounting is copied from Strata's run of the
 * same file, because both read the same weights; llama.cpp does not report it.
 */
public final class LlamaCppBenchRunner implements AutoCloseable {
    private final LlamaCppContext llama;
    private final MeasurementLog log;
    private final int threads;

    /**
     * @param dir       the folder of libllama and the libggml-cpu-* variants, or null for the default lookup
     * @param sequences the largest batch of --batch (1 without it)
     * @param perSequence KV cells each sequence needs
     */
    public LlamaCppBenchRunner(Path gguf, Path dir, int threads, int batchTokens, int sequences, int perSequence,
                               boolean verbose, MeasurementLog log) {
        LlamaCppLibrary.echoLog(verbose);
        LlamaCppLibrary lib = LlamaCppLibrary.get(dir, LlamaCppLibrary.Variant.BEST);
        if (lib == null) throw new StrataException("--vs-llamacpp: " + LlamaCppLibrary.unavailableReason());
        this.llama = new LlamaCppContext(lib, gguf, new LlamaCppContext.Options(sequences * perSequence,
                Math.max(batchTokens, sequences), sequences, threads, false));
        this.log = log;
        this.threads = threads;
    }

    /** The CPU variant of ggml that runs, e.g. "zen4". */
    public String variant() {
        return llama.cpuBackend();
    }

    public BenchResult promptProcessing(ModelDescription model, int[] prompt, int repetitions, BenchResult strataRow) {
        runPrompt(prompt);
        double[] rates = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            long nanos = runPrompt(prompt);
            rates[r] = prompt.length * 1e9 / nanos;
            log.measurement(model.label(), BenchReport.LLAMA_CPP, kernels(), threads, strataRow.test(), r, prompt.length, nanos, -1, -1);
        }
        return row(model, strataRow.test(), prompt.length, rates, strataRow);
    }

    /** tokens[0] is the untimed prompt; each later token is one timed decode step (Strata's tg tokens). */
    public BenchResult tokenGeneration(ModelDescription model, int[] tokens, int repetitions, BenchResult strataRow) {
        runGeneration(tokens);
        double[] rates = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            long nanos = runGeneration(tokens);
            rates[r] = (tokens.length - 1) * 1e9 / nanos;
            log.measurement(model.label(), BenchReport.LLAMA_CPP, kernels(), threads, strataRow.test(), r, tokens.length - 1, nanos, -1, -1);
        }
        return row(model, strataRow.test(), tokens.length - 1, rates, strataRow);
    }

    /**
     * Aggregate decode tokens/s of B sequences: each gets {@code prompt} in its own llama_decode
     * (untimed), then {@code steps} timed llama_decode calls each advance every sequence by one token.
     */
    public double[] batchedDecode(int sequences, int[] prompt, int[] steps, int repetitions) {
        double[] rates = new double[repetitions];
        for (int r = -1; r < repetitions; r++) { // r = -1: warm-up
            llama.reset();
            int[] seq = new int[prompt.length], pos = new int[prompt.length];
            boolean[] out = new boolean[prompt.length];
            out[prompt.length - 1] = true;
            for (int s = 0; s < sequences; s++) {
                java.util.Arrays.fill(seq, s);
                for (int i = 0; i < prompt.length; i++) pos[i] = i;
                llama.decode(prompt, pos, seq, out);
            }
            int[] toks = new int[sequences], seqs = new int[sequences], ps = new int[sequences];
            boolean[] outs = new boolean[sequences];
            java.util.Arrays.fill(outs, true);
            for (int s = 0; s < sequences; s++) seqs[s] = s;
            long t0 = System.nanoTime();
            for (int k = 0; k < steps.length; k++) {
                java.util.Arrays.fill(toks, steps[k]);
                java.util.Arrays.fill(ps, prompt.length + k);
                llama.decode(toks, ps, seqs, outs);
            }
            long nanos = System.nanoTime() - t0;
            if (r >= 0) rates[r] = (double) sequences * steps.length * 1e9 / nanos;
        }
        return rates;
    }

    long runPrompt(int[] prompt) {
        llama.reset();
        int[] pos = new int[prompt.length], seq = new int[prompt.length];
        boolean[] out = new boolean[prompt.length];
        for (int i = 0; i < prompt.length; i++) pos[i] = i;
        out[prompt.length - 1] = true;
        long t0 = System.nanoTime();
        llama.decode(prompt, pos, seq, out);
        return System.nanoTime() - t0;
    }

    long runGeneration(int[] tokens) {
        llama.reset();
        int[] one = new int[1], pos = new int[1], seq = new int[1];
        boolean[] out = {true};
        one[0] = tokens[0];
        llama.decode(one, pos, seq, out);
        long t0 = System.nanoTime();
        for (int i = 1; i < tokens.length; i++) {
            one[0] = tokens[i];
            pos[0] = i;
            llama.decode(one, pos, seq, out);
        }
        return System.nanoTime() - t0;
    }

    public String kernels() {
        return "ggml-" + variant();
    }

    BenchResult row(ModelDescription model, String test, int tokens, double[] rates, BenchResult strataRow) {
        return new BenchResult(model.label(), model.sizeBytes(), model.params(), BenchReport.LLAMA_CPP, kernels(), threads, test,
                tokens, rates, strataRow.weightBytesPerToken(), strataRow.multiplyAddsPerToken(), null);
    }

    @Override
    public void close() {
        llama.close();
    }
}
