package dev.strata.generate;

/** The outcome of one generation, with llama.cpp-style timings. */
public record GenerationResult(int[] tokens, String text, FinishReason finishReason, int promptTokens,
                               long promptNanos, long generationNanos) {

    public double promptTokensPerSecond() {
        return promptNanos == 0 ? 0 : promptTokens * 1e9 / promptNanos;
    }

    /** The first generated token is produced by the prompt pass, so it is not counted here. */
    public double generationTokensPerSecond() {
        return generationNanos == 0 ? 0 : Math.max(0, tokens.length - 1) * 1e9 / generationNanos;
    }
}
