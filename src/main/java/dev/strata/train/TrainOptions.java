package dev.strata.train;

import dev.strata.train.curriculum.Family;
import java.util.List;

/**
 * Everything that defines a training run besides the model shape. Stored in checkpoints, so a
 * resumed run continues with the same data stream and schedule.
 *
 * @param microBatch    sequences per forward pass within a worker (gradients accumulate across them)
 * @param budgetSeconds wall-clock training time (excluding start-up and evaluation); ≤ 0 for none
 * @param maxSteps      step limit; ≤ 0 for none. With a step limit the schedule follows steps and the
 *                      run is bit-reproducible; with only a time budget it follows elapsed time
 * @param warmup        warmup as a fraction of the run
 * @param loopProb      with loop training, the chance that a batch repeats a random block of layers
 */
public record TrainOptions(List<String> families, int minDifficulty, int maxDifficulty, int batch, int seqLen, int microBatch,
                           float learningRate, float minLrFraction, float warmup, float weightDecay, float gradClip,
                           double budgetSeconds, long maxSteps, int threads, long seed, boolean loopTrain, float loopProb,
                           int valBatches, int evalProblems, int evalMaxDifficulty, double checkpointEverySeconds) {

    public List<Family> familyList() {
        return families.stream().map(Family::byId).toList();
    }
}
