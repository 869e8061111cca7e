package dev.strata.generate;

import dev.strata.sample.LogitProcessor;
import dev.strata.sample.SamplerConfig;
import java.util.List;

/**
 * What to generate: prompt tokens, sampling, a token limit (-1 = until the context is full) and stop strings;
 * optionally a logit processor (biases, grammar) and a listener that sees each token with its raw logits.
 */
public record GenerationRequest(int[] promptTokens, SamplerConfig sampling, int maxTokens, List<String> stop, boolean ignoreEos,
                                LogitProcessor logitProcessor, TokenListener tokenListener) {
    public GenerationRequest {
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    public GenerationRequest(int[] promptTokens, SamplerConfig sampling, int maxTokens, List<String> stop, boolean ignoreEos) {
        this(promptTokens, sampling, maxTokens, stop, ignoreEos, null, null);
    }

    /** Sees every sampled token (end-of-generation included) with the model's unmodified logits for that step. */
    @FunctionalInterface
    public interface TokenListener {
        void onToken(int token, float[] logits, int vocabSize);
    }
}
