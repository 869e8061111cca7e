package dev.strata.bench;

import java.util.Arrays;

/**
 * One test (pp or tg) of one model on one backend: the tokens/s of every repetition plus the
 * per-token accounting. Accounting fields are null where unknown.
 *
 * @param backend "strata" or "llama.cpp"
 * @param kernels the kernel set that ran (Strata's provider name, or "ggml" for llama.cpp)
 * @param test llama-bench's test name: pp512, tg128
 * @param weightBytesPerToken bytes of weight matrices read per token
 * @param multiplyAddsPerToken multiply-adds per token (GFLOP/token = 2 x this / 1e9)
 * @param bandwidthFraction decode only: weight bytes/token x tokens/s / read bandwidth
 * @param layers the layer path run (--layers), null for the model's own
 * @param memory resident memory and expert streaming counters (Strata rows only, else null)
 */
public record BenchResult(String model, long sizeBytes, long params, String backend, String kernels, int threads,
                          String test, int tokens, double[] tokensPerSecond, Double weightBytesPerToken,
                          Double multiplyAddsPerToken, Double bandwidthFraction, String layers, MemoryReport memory) {

    /** A row of the model's own layer path, without memory counters. */
    public BenchResult(String model, long sizeBytes, long params, String backend, String kernels, int threads,
                       String test, int tokens, double[] tokensPerSecond, Double weightBytesPerToken,
                       Double multiplyAddsPerToken, Double bandwidthFraction) {
        this(model, sizeBytes, params, backend, kernels, threads, test, tokens, tokensPerSecond, weightBytesPerToken,
                multiplyAddsPerToken, bandwidthFraction, null, null);
    }

    public double mean() {
        return Arrays.stream(tokensPerSecond).average().orElse(Double.NaN);
    }

    /** Sample standard deviation (n - 1), 0 for a single repetition, as llama-bench reports it. */
    public double sd() {
        int n = tokensPerSecond.length;
        if (n < 2) return 0;
        double m = mean(), sq = 0;
        for (double v : tokensPerSecond) sq += (v - m) * (v - m);
        return Math.sqrt(sq / (n - 1));
    }

    public Double gflopPerToken() {
        return multiplyAddsPerToken == null ? null : 2 * multiplyAddsPerToken / 1e9;
    }

    public BenchResult withBandwidthFraction(Double fraction) {
        return new BenchResult(model, sizeBytes, params, backend, kernels, threads, test, tokens, tokensPerSecond,
                weightBytesPerToken, multiplyAddsPerToken, fraction, layers, memory);
    }
}
