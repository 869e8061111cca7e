package dev.strata.research.cluster;

import java.io.Serializable;

/** What a worker needs to score a run's chunks on its own: the model file, the task and its options, the seed and the kernels. */
public record RunSpec(String runId, String model, String task, int problems, Integer minDifficulty, Integer maxDifficulty, long seed,
        String kernels, int threads) implements Serializable {}
