package dev.strata.generate;

import dev.strata.sample.SamplerConfig;
import java.util.List;

/** What to generate: prompt tokens, sampling, a token limit (-1 = until the context is full) and stop strings. */
public record GenerationRequest(int[] promptTokens, SamplerConfig sampling, int maxTokens, List<String> stop, boolean ignoreEos) {
    public GenerationRequest {
        stop = stop == null ? List.of() : List.copyOf(stop);
    }
}
