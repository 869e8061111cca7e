package dev.strata.train.model;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.train.ops.GradCheck;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Finite differences through the whole model, every tensor checked separately. */
class ModelGradientTest {
    private static final int BATCH = 2, SEQ = 5;

    @Test
    void denseModel() {
        checkModel(ModelConfig.dense(11, 8, 2, 2, 1, 12, 8), new int[] {0, 1});
    }

    @Test
    void mixtureOfExpertsModel() {
        checkModel(ModelConfig.dense(11, 8, 2, 2, 2, 6, 8).withExperts(4, 2, 0.1f), new int[] {0, 1});
    }

    @Test
    void loopedLayerPathSharesWeights() {
        checkModel(ModelConfig.dense(11, 8, 2, 2, 1, 12, 8), new int[] {0, 1, 0, 1});
    }

    private static void checkModel(ModelConfig config, int[] path) {
        TransformerModel model = new TransformerModel(config);
        model.initialize(1);
        float[] p = model.params();
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < p.length; i++) p[i] += (float) ((rng.nextDouble() - 0.5) * 0.6); // larger than init, so no tensor is negligible
        int n = BATCH * SEQ;
        int[] tokens = new int[n], targets = new int[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = rng.nextInt(config.vocabSize());
            targets[i] = i % 3 == 0 ? -1 : rng.nextInt(config.vocabSize());
        }
        Workspace ws = model.newWorkspace(BATCH, SEQ, path.length);
        float weight = 1f / 6;
        model.forward(ws, tokens, targets, path, weight, 1f);
        model.backward(ws);
        float[] grad = ws.grad.clone();
        for (ParameterLayout.Slice s : model.layout().slices()) {
            GradCheck.check(s.name(), p, s.offset(), s.size(), grad, s.offset(),
                    () -> model.forward(ws, tokens, targets, path, weight, 1f), 24, s.offset(), 2e-3, 5e-2);
        }
    }

    @Test
    void prePackedWeightsGiveBitIdenticalResults() {
        ModelConfig config = ModelConfig.dense(300, 48, 2, 4, 2, 300, 8); // ffn and vocab span several GEMM blocks
        TransformerModel model = new TransformerModel(config);
        model.initialize(4);
        SplittableRandom rng = new SplittableRandom(5);
        int[] tokens = new int[16], targets = new int[16];
        for (int i = 0; i < 16; i++) {
            tokens[i] = rng.nextInt(300);
            targets[i] = rng.nextInt(300);
        }
        Workspace ws = model.newWorkspace(2, 8, 2);
        double direct = model.forward(ws, tokens, targets, model.defaultPath(), 0.1f, 0f);
        model.backward(ws);
        float[] directGrad = ws.grad.clone();
        PackedWeights packed = new PackedWeights(model.layout());
        packed.pack(model.params(), 0, 2);
        packed.pack(model.params(), 1, 2);
        model.usePackedWeights(packed);
        java.util.Arrays.fill(ws.grad, 0f);
        assertEquals(direct, model.forward(ws, tokens, targets, model.defaultPath(), 0.1f, 0f));
        model.backward(ws);
        assertArrayEquals(directGrad, ws.grad);
    }

    @Test
    void flopCountFollowsTheLayerPath() {
        ModelConfig c = ModelConfig.dense(50, 64, 3, 4, 2, 128, 32);
        int d = 64, kv = c.kvDim(), ff = 128;
        long perBlock = (long) d * d + 2L * kv * d + (long) d * d + 3L * ff * d;
        double attentionPerLayer = 4.0 * d * (32 + 1) / 2.0;
        double expected = 6.0 * (3 * perBlock + 50L * d) + 3 * 3 * attentionPerLayer;
        assertEquals(expected, c.trainingFlopsPerToken(32), 1e-6);
        assertEquals(6.0 * perBlock + 3 * attentionPerLayer, c.trainingFlopsPerToken(32, 4) - c.trainingFlopsPerToken(32, 3), 1e-6);
    }

    @Test
    void gradientAccumulatesAcrossBackwardCalls() {
        ModelConfig config = ModelConfig.dense(7, 8, 1, 2, 2, 8, 4);
        TransformerModel model = new TransformerModel(config);
        model.initialize(3);
        Workspace ws = model.newWorkspace(1, 4, 1);
        int[] tokens = {1, 2, 3, 4}, targets = {2, 3, 4, 5};
        model.forward(ws, tokens, targets, model.defaultPath(), 0.25f, 0f);
        model.backward(ws);
        float[] once = ws.grad.clone();
        model.forward(ws, tokens, targets, model.defaultPath(), 0.25f, 0f);
        model.backward(ws);
        for (int i = 0; i < once.length; i++) assertEquals(2 * once[i], ws.grad[i], 1e-6 + 1e-5 * Math.abs(once[i]));
    }
}
