package dev.strata.train.ops;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * Central finite differences against an analytic gradient. The loss is evaluated in fp32 by the
 * code under test, so the step is moderate and the tolerance relative to the gradient's scale.
 */
public final class GradCheck {
    private GradCheck() {}

    /** Checks up to {@code samples} coordinates of x (all when x is small). */
    public static void check(String what, float[] x, int off, int len, float[] analytic, int analyticOff,
                             DoubleSupplier loss, int samples, long seed, double eps, double tol) {
        SplittableRandom rng = new SplittableRandom(seed);
        double scale = 0;
        for (int i = 0; i < len; i++) scale = Math.max(scale, Math.abs(analytic[analyticOff + i]));
        if (scale == 0) fail(what + ": analytic gradient is identically zero");
        int count = Math.min(samples, len);
        double worst = 0;
        String worstAt = "";
        for (int s = 0; s < count; s++) {
            int i = len <= samples ? s : rng.nextInt(len);
            float original = x[off + i];
            float plus = (float) (original + eps), minus = (float) (original - eps);
            x[off + i] = plus;
            double lossPlus = loss.getAsDouble();
            x[off + i] = minus;
            double lossMinus = loss.getAsDouble();
            x[off + i] = original;
            double numeric = (lossPlus - lossMinus) / ((double) plus - minus);
            double a = analytic[analyticOff + i];
            double err = Math.abs(numeric - a) / (Math.abs(a) + 0.05 * scale);
            if (err > worst) {
                worst = err;
                worstAt = "index " + i + ": numeric " + numeric + " analytic " + a;
            }
        }
        if (worst > tol) fail(what + ": relative error " + worst + " at " + worstAt + " (gradient scale " + scale + ")");
    }

    public static void check(String what, float[] x, float[] analytic, DoubleSupplier loss, long seed) {
        check(what, x, 0, x.length, analytic, 0, loss, 60, seed, 1e-2, 2e-2);
    }

    public static float[] random(SplittableRandom rng, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        return x;
    }

    /** Σ r_i · y_i in double: a scalar loss whose gradient with respect to y is r. */
    public static double project(float[] y, float[] r) {
        double sum = 0;
        for (int i = 0; i < r.length; i++) sum += (double) y[i] * r[i];
        return sum;
    }
}
