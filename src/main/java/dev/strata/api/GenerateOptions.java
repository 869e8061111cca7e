package dev.strata.api;

import dev.strata.sample.SamplerConfig;
import java.util.List;

/**
 * Per-call options of the library API, with llama.cpp's sampling defaults. {@code maxTokens} -1
 * generates until the end of the turn or the context; {@code layers} (a layer-path spec such as
 * {@code dup:1-2}) and {@code expertsPerToken} (0 = the model's) reshape the model for this call only.
 */
public record GenerateOptions(int maxTokens, SamplerConfig sampling, List<String> stop, String layers, int expertsPerToken) {

    public GenerateOptions {
        if (maxTokens < -1) throw new IllegalArgumentException("maxTokens must be -1 (no limit) or >= 0, got " + maxTokens);
        if (sampling == null) sampling = SamplerConfig.defaults();
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    /** 256 tokens, llama.cpp's default sampling, random seed. */
    public static GenerateOptions defaults() {
        return new GenerateOptions(256, SamplerConfig.defaults(), List.of(), null, 0);
    }

    /** Deterministic: always the most likely token. */
    public static GenerateOptions greedy() {
        return defaults().sampling(SamplerConfig.greedy());
    }

    public GenerateOptions maxTokens(int value) {
        return new GenerateOptions(value, sampling, stop, layers, expertsPerToken);
    }

    public GenerateOptions sampling(SamplerConfig value) {
        return new GenerateOptions(maxTokens, value, stop, layers, expertsPerToken);
    }

    public GenerateOptions temperature(float value) {
        return sampling(sampling.withTemperature(value));
    }

    public GenerateOptions seed(long value) {
        return sampling(sampling.withSeed(value));
    }

    public GenerateOptions stop(List<String> value) {
        return new GenerateOptions(maxTokens, sampling, value, layers, expertsPerToken);
    }

    public GenerateOptions layers(String value) {
        return new GenerateOptions(maxTokens, sampling, stop, value, expertsPerToken);
    }

    public GenerateOptions expertsPerToken(int value) {
        return new GenerateOptions(maxTokens, sampling, stop, layers, value);
    }
}
