package dev.strata.frontier;

import java.util.function.DoubleUnaryOperator;

/**
 * The knee: the u = log10 x beyond which the curve's slope dy/du, the gain per further 10x of x,
 * stays below epsilon. Found numerically for any curve (central differences, a grid scan from the
 * right, then bisection), so the closed forms in the tests are an independent check.
 */
public final class Knee {
    /** How far beyond the data the scan looks before it calls the knee absent. */
    static final double SEARCH_DECADES = 10;
    private static final double GRID_STEP = 0.01;

    /** Where the knee lies relative to the observed range [minU, maxU]. */
    public enum Status {
        /** The slope is already below epsilon at the smallest observed x. */
        FLAT_THROUGHOUT,
        WITHIN_DATA,
        /** Beyond the largest observed x: the curve's extrapolation, not an observation. */
        EXTRAPOLATED,
        /** The slope stays at or above epsilon for SEARCH_DECADES beyond the data. */
        NONE
    }

    private Knee() {}

    /** The knee's u; -infinity when the slope is below epsilon everywhere scanned, +infinity when none is found. */
    public static double find(DoubleUnaryOperator curve, double epsilon, double minU, double maxU) {
        double lo = minU - SEARCH_DECADES, hi = maxU + SEARCH_DECADES;
        int steps = (int) Math.ceil((hi - lo) / GRID_STEP);
        double prev = hi;
        if (slope(curve, hi) >= epsilon) return Double.POSITIVE_INFINITY;
        for (int i = steps - 1; i >= 0; i--) {
            double u = lo + i * GRID_STEP;
            if (slope(curve, u) >= epsilon) return bisect(curve, epsilon, u, prev);
            prev = u;
        }
        return Double.NEGATIVE_INFINITY;
    }

    public static Status classify(double kneeU, double minU, double maxU) {
        if (kneeU == Double.POSITIVE_INFINITY) return Status.NONE;
        if (kneeU <= minU) return Status.FLAT_THROUGHOUT;
        return kneeU <= maxU ? Status.WITHIN_DATA : Status.EXTRAPOLATED;
    }

    /** dy/du by central differences. */
    public static double slope(DoubleUnaryOperator curve, double u) {
        double h = 1e-5;
        return (curve.applyAsDouble(u + h) - curve.applyAsDouble(u - h)) / (2 * h);
    }

    /** Slope >= epsilon at a, < epsilon at b. */
    private static double bisect(DoubleUnaryOperator curve, double epsilon, double a, double b) {
        for (int i = 0; i < 60 && b - a > 1e-12; i++) {
            double mid = (a + b) / 2;
            if (slope(curve, mid) >= epsilon) a = mid;
            else b = mid;
        }
        return (a + b) / 2;
    }
}
