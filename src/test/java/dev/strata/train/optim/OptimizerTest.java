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
