package dev.strata.train.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The KV-cached decoder must reproduce the batched training forward pass position by position. */
class GreedyDecoderTest {
    @Test
    void matchesTrainingForwardDense() {
        compare(ModelConfig.dense(17, 16, 2, 4, 2, 24, 12), new int[] {0, 1});
    }

    @Test
    void matchesTrainingForwardMoeAndLoopedPath() {
        compare(ModelConfig.dense(17, 16, 2, 2, 1, 12, 12).withExperts(4, 2, 0.01f), new int[] {0, 1, 1});
    }

    private static void compare(ModelConfig config, int[] path) {
        TransformerModel model = new TransformerModel(config);
        model.initialize(5);
        SplittableRandom rng = new SplittableRandom(6);
        float[] params = model.params();
        for (int i = 0; i < params.length; i++) params[i] += (float) ((rng.nextDouble() - 0.5) * 0.2);
        int seq = 12;
        int[] tokens = new int[seq], targets = new int[seq];
        for (int i = 0; i < seq; i++) tokens[i] = rng.nextInt(config.vocabSize());
        Workspace ws = model.newWorkspace(1, seq, path.length);
        model.forward(ws, tokens, targets, path, 1f, 0f);
        float[] probs = ws.probabilities();
        GreedyDecoder decoder = new GreedyDecoder(model, path);
        for (int t = 0; t < seq; t++) {
            float[] logits = decoder.step(tokens[t]);
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (float l : logits) max = Math.max(max, l);
            for (float l : logits) sum += Math.exp(l - max);
            for (int i = 0; i < config.vocabSize(); i++)
                assertEquals(probs[t * config.vocabSize() + i], Math.exp(logits[i] - max) / sum, 1e-5, "position " + t);
        }
    }
}
