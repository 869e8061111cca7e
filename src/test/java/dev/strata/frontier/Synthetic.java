package dev.strata.frontier;

import java.util.Random;

/** Seeded synthetic scores: x log-uniform over the range, y = curve(truth) plus normal noise. */
final class Synthetic {
    private Synthetic() {}

    static FitData sample(CurveModel model, double[] truth, int n, double minU, double maxU, double noise, long seed) {
        Random rng = new Random(seed);
        double[] u = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = minU + (maxU - minU) * rng.nextDouble();
            y[i] = model.value(truth, u[i]) + noise * rng.nextGaussian();
        }
        return new FitData(u, y, 1);
    }

    static boolean covers(double[] interval, double truth) {
        return interval[0] <= truth && truth <= interval[1];
    }
}
