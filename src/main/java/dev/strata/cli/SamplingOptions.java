package dev.strata.cli;

import dev.strata.sample.SamplerConfig;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Sampling flags with llama.cpp's names and defaults. */
public final class SamplingOptions {
    @Option(names = "--temp", paramLabel = "T", description = "temperature; 0 = greedy (default: 0.8)")
    public float temperature = 0.8f;

    @Option(names = "--top-k", paramLabel = "N", description = "top-k, 0 = off (default: 40)")
    public int topK = 40;

    @Option(names = "--top-p", paramLabel = "P", description = "top-p, 1.0 = off (default: 0.95)")
    public float topP = 0.95f;

    @Option(names = "--min-p", paramLabel = "P", description = "min-p, 0.0 = off (default: 0.05)")
    public float minP = 0.05f;

    @Option(names = "--repeat-penalty", paramLabel = "X", description = "repetition penalty, 1.0 = off (default: 1.0)")
    public float repeatPenalty = 1.0f;

    @Option(names = "--repeat-last-n", paramLabel = "N", description = "tokens the penalty looks back on, -1 = all (default: 64)")
    public int repeatLastN = 64;

    @Option(names = {"-s", "--seed"}, paramLabel = "N", description = "random seed, -1 = random (default: -1)")
    public long seed = -1;

    @Option(names = {"-r", "--reverse-prompt", "--stop"}, paramLabel = "TEXT", description = "stop when this text is generated (repeatable)")
    public List<String> stop = new ArrayList<>();

    @Option(names = "--ignore-eos", description = "keep generating past end-of-generation tokens")
    public boolean ignoreEos;

    public SamplerConfig config() {
        return new SamplerConfig(temperature, topK, topP, minP, repeatPenalty, repeatLastN, seed);
    }
}
