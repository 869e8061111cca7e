package dev.strata.sample;

import dev.strata.StrataException;

/**
 * Sampling parameters with llama.cpp's defaults. A value that disables a stage does so as in llama.cpp:
 * {@code topK <= 0}, {@code topP >= 1}, {@code minP <= 0}, {@code repeatPenalty == 1} or
 * {@code repeatLastN == 0}. {@code repeatLastN == -1} penalises the whole history;
 * {@code seed == -1} picks a random seed; {@code temperature <= 0} samples greedily.
 */
public record SamplerConfig(float temperature, int topK, float topP, float minP,
                            float repeatPenalty, int repeatLastN, long seed) {
    public static final long RANDOM_SEED = -1;

    public SamplerConfig {
        if (Float.isNaN(temperature)) throw new StrataException("temperature must be a number");
        if (Float.isNaN(topP) || topP < 0) throw new StrataException("top-p must be >= 0, got " + topP);
        if (Float.isNaN(minP) || minP < 0 || minP > 1) throw new StrataException("min-p must be in [0, 1], got " + minP);
        if (!(repeatPenalty > 0)) throw new StrataException("repeat penalty must be > 0, got " + repeatPenalty);
        if (repeatLastN < -1) throw new StrataException("repeat-last-n must be >= -1, got " + repeatLastN);
    }

    /** llama.cpp's defaults: temp 0.8, top-k 40, top-p 0.95, min-p 0.05, no repetition penalty, random seed. */
    public static SamplerConfig defaults() {
        return new SamplerConfig(0.8f, 40, 0.95f, 0.05f, 1.0f, 64, RANDOM_SEED);
    }

    /** Always the most likely token (lowest id on ties). */
    public static SamplerConfig greedy() {
        return new SamplerConfig(0f, 40, 0.95f, 0.05f, 1.0f, 64, RANDOM_SEED);
    }

    public SamplerConfig withTemperature(float value) {
        return new SamplerConfig(value, topK, topP, minP, repeatPenalty, repeatLastN, seed);
    }

    public SamplerConfig withTopK(int value) {
        return new SamplerConfig(temperature, value, topP, minP, repeatPenalty, repeatLastN, seed);
    }

    public SamplerConfig withTopP(float value) {
        return new SamplerConfig(temperature, topK, value, minP, repeatPenalty, repeatLastN, seed);
    }

    public SamplerConfig withMinP(float value) {
        return new SamplerConfig(temperature, topK, topP, value, repeatPenalty, repeatLastN, seed);
    }

    public SamplerConfig withRepeatPenalty(float penalty, int lastN) {
        return new SamplerConfig(temperature, topK, topP, minP, penalty, lastN, seed);
    }

    public SamplerConfig withSeed(long value) {
        return new SamplerConfig(temperature, topK, topP, minP, repeatPenalty, repeatLastN, value);
    }

    public boolean isGreedy() {
        return temperature <= 0;
    }
}
