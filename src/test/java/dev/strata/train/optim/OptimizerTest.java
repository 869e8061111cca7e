package dev.strata.train.optim;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class OptimizerTest {
    @Test
    void adamWMatchesTheTextbookUpdateInDouble() {
        float lr = 0.01f, b1 = 0.9f, b2 = 0.95f, eps = 1e-8f, wd = 0.1f;
        AdamW adam = new AdamW(2, new boolean[] {true, false}, b1, b2, eps, wd);
        float[] params = {0.5f, -1.0f};
        double[] p = {0.5, -1.0}, m = new double[2], v = new double[2];
        float[][] grads = {{0.2f, -0.4f}, {-0.1f, 0.3f}, {0.05f, 0.05f}};
        for (int t = 1; t <= grads.length; t++) {
            adam.advance();
            adam.update(params, grads[t - 1], lr, 0, 2);
            for (int i = 0; i < 2; i++) {
                double g = grads[t - 1][i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mHat = m[i] / (1 - Math.pow(b1, t)), vHat = v[i] / (1 - Math.pow(b2, t));
                double decay = i == 0 ? wd * p[i] : 0; // the second parameter is a norm gain: no decay
                p[i] -= lr * (mHat / (Math.sqrt(vHat) + eps) + decay);
                assertEquals(p[i], params[i], 1e-6, "step " + t + " parameter " + i);
            }
        }
        assertEquals(3, adam.stepCount());
    }

    @Test
    void vectorPathWithClippingMatchesElementByElementScalarUpdatesBitForBit() {
        int n = 29; // three 8-lane vectors and a scalar tail
        boolean[] mask = new boolean[n];
        float[] pVec = new float[n], pScalar = new float[n], gVec = new float[n], gScalar = new float[n];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            mask[i] = i % 3 != 0;
            pVec[i] = pScalar[i] = (float) rng.nextDouble(-1, 1);
        }
        AdamW vec = new AdamW(n, mask, 0.9f, 0.95f, 1e-8f, 0.1f), scalar = new AdamW(n, mask, 0.9f, 0.95f, 1e-8f, 0.1f);
        for (int step = 0; step < 4; step++) {
            for (int i = 0; i < n; i++) gVec[i] = gScalar[i] = (float) rng.nextDouble(-2, 2);
            vec.advance();
            scalar.advance();
            float clip = step % 2 == 0 ? 0.37f : 1f;
            vec.update(pVec, gVec, clip, 0.01f, 0, n);
            for (int i = 0; i < n; i++) scalar.update(pScalar, gScalar, clip, 0.01f, i, i + 1);
            assertArrayEquals(pScalar, pVec, "parameters after step " + step);
            assertArrayEquals(gScalar, gVec, "clipped gradient after step " + step);
            assertArrayEquals(scalar.secondMoment(), vec.secondMoment());
        }
        assertNotEquals(0f, pVec[0]);
    }

    @Test
    void scheduleWarmsUpLinearlyThenFollowsACosineToTheFloor() {
        LearningRateSchedule s = new LearningRateSchedule(1e-3f, 0.1f, 0.1f);
        assertEquals(0.5e-3, s.at(0.05), 1e-9);
        assertEquals(1e-3, s.at(0.1), 1e-9);
        assertEquals(1e-4 + 0.9e-3 * 0.5, s.at(0.55), 1e-9); // halfway through the decay
        assertEquals(1e-4, s.at(1.0), 1e-9);
        assertEquals(1e-4, s.at(1.5), 1e-9);
        for (double p = 0.1; p < 1; p += 0.05) assertTrue(s.at(p + 0.05) <= s.at(p) + 1e-9, "decays monotonically");
    }
}
