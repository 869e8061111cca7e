package dev.strata.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.train.model.ModelConfig;
import dev.strata.train.model.StepTimes;
import dev.strata.train.model.TransformerModel;
import dev.strata.train.optim.LearningRateSchedule;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DataParallelTrainerTest {
    private static final ModelConfig TINY = ModelConfig.dense(13, 16, 2, 2, 1, 32, 16);

    @Test
    void overfitsOneBatchToNearZeroLoss() {
        TransformerModel model = new TransformerModel(TINY);
        model.initialize(1);
        int batch = 4, seq = 12;
        int[][] data = randomBatch(batch, seq, 5);
        LearningRateSchedule lr = new LearningRateSchedule(1e-2f, 0.05f, 0.1f);
        double first = 0, last = 0;
        int steps = 250;
        try (DataParallelTrainer trainer = new DataParallelTrainer(model, batch, seq, 2, 1, 2, 0f)) {
            for (int s = 0; s < steps; s++) {
                double loss = trainer.step(data[0], data[1], model.defaultPath(), lr.at((s + 1.0) / steps), 1f).loss();
                if (s == 0) first = loss;
                last = loss;
            }
            assertEquals(last, trainer.loss(data[0], data[1], model.defaultPath()), 0.05);
        }
        assertTrue(first > 2.0, "initial loss should be near ln(13), was " + first);
        assertTrue(last < 0.02, "loss after " + steps + " steps on one batch: " + last);
    }

    @Test
    void mixtureOfExpertsModelAlsoOverfits() {
        TransformerModel model = new TransformerModel(ModelConfig.dense(13, 16, 2, 2, 1, 16, 16).withExperts(4, 2, 0.01f));
        model.initialize(3);
        int[][] data = randomBatch(4, 12, 6);
        try (DataParallelTrainer trainer = new DataParallelTrainer(model, 4, 12, 2, 2, 2, 0f)) {
            for (int s = 0; s < 250; s++) trainer.step(data[0], data[1], model.defaultPath(), 1e-2f, 1f);
            double ce = trainer.loss(data[0], data[1], model.defaultPath());
            assertTrue(ce < 0.05, "cross-entropy after 250 steps: " + ce);
            double withBalancing = trainer.step(data[0], data[1], model.defaultPath(), 0f, 1f).loss();
            // coef · E · Σ f·P is about coef per layer when routing is near even
            assertTrue(withBalancing - ce > 0.01, "training loss " + withBalancing + " vs cross-entropy " + ce);
        }
    }

    @Test
    void chargesEachTimedPartOfAStepAndResets() {
        TransformerModel model = new TransformerModel(TINY);
        model.initialize(2);
        int[][] data = randomBatch(4, 12, 8);
        try (DataParallelTrainer trainer = new DataParallelTrainer(model, 4, 12, 2, 1, 2, 0f)) {
            long t0 = System.nanoTime();
            trainer.step(data[0], data[1], model.defaultPath(), 1e-3f, 1f);
            double wall = (System.nanoTime() - t0) / 1e9;
            StepTimes.Seconds s = trainer.partSeconds();
            double[] parts = {s.linearForward(), s.linearBackward(), s.attentionForward(), s.attentionBackward()};
            for (int p = 0; p < parts.length; p++) assertTrue(parts[p] > 0, StepTimes.Part.values()[p] + " was not charged");
            double total = s.linear() + s.attention();
            assertTrue(total <= 2 * wall, "two workers cannot spend " + total + " s in a step of " + wall + " s");
            trainer.resetTimes();
            assertEquals(new StepTimes.Seconds(0, 0, 0, 0), trainer.partSeconds());
        }
    }

    @Test
    void sameSeedAndThreadsGiveBitIdenticalParameters() {
        float[] a = train(2, 1, 7), b = train(2, 1, 7), c = train(1, 4, 7);
        assertArrayEquals(a, b);
        double maxDiff = 0;
        for (int i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - c[i]));
        assertTrue(maxDiff < 1e-3, "worker and micro-batch splits change only the rounding: " + maxDiff);
    }

    @Test
    void clipsTheGlobalGradientNorm() {
        TransformerModel model = new TransformerModel(TINY);
        model.initialize(2);
        int[][] data = randomBatch(2, 8, 9);
        try (DataParallelTrainer trainer = new DataParallelTrainer(model, 2, 8, 2, 1, 2, 0f)) {
            var result = trainer.step(data[0], data[1], model.defaultPath(), 1e-3f, 0.01f);
            assertTrue(result.gradNorm() > 0.1, "unclipped norm " + result.gradNorm());
            double norm = 0;
            for (float g : trainer.gradient()) norm += (double) g * g;
            assertEquals(0.01, Math.sqrt(norm), 1e-5);
        }
    }

    private static float[] train(int threads, int micro, long seed) {
        TransformerModel model = new TransformerModel(TINY);
        model.initialize(seed);
        try (DataParallelTrainer trainer = new DataParallelTrainer(model, 4, 10, threads, micro, 2, 0.1f)) {
            for (int s = 0; s < 4; s++) {
                int[][] data = randomBatch(4, 10, seed * 31 + s);
                trainer.step(data[0], data[1], model.defaultPath(), 3e-3f, 1f);
            }
        }
        return model.params();
    }

    /** Sequences of a fixed random pattern; targets are the next tokens, with the first half masked. */
    static int[][] randomBatch(int batch, int seq, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] tokens = new int[batch * seq], targets = new int[batch * seq];
        for (int i = 0; i < tokens.length; i++) tokens[i] = rng.nextInt(TINY.vocabSize());
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < seq; t++)
                targets[b * seq + t] = t < seq / 2 || t + 1 == seq ? -1 : tokens[b * seq + t + 1];
        return new int[][] {tokens, targets};
    }
}
