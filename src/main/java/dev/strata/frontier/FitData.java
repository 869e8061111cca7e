package dev.strata.frontier;

import java.util.Arrays;

/**
 * Points to fit: u = log10 x and scores y, with the scale the scores live on (1 for fractions,
 * 100 for percentages), so "a point" is fullScale / 100 whichever way a file stores its scores.
 */
public record FitData(double[] u, double[] y, double fullScale) {

    public FitData {
        if (u.length != y.length) throw new IllegalArgumentException("u and y differ in length");
    }

    public int size() {
        return u.length;
    }

    public double point() {
        return fullScale / 100;
    }

    public double minU() {
        return Arrays.stream(u).min().orElse(Double.NaN);
    }

    public double maxU() {
        return Arrays.stream(u).max().orElse(Double.NaN);
    }

    public double minY() {
        return Arrays.stream(y).min().orElse(Double.NaN);
    }

    public double maxY() {
        return Arrays.stream(y).max().orElse(Double.NaN);
    }

    public double meanU() {
        return Arrays.stream(u).average().orElse(Double.NaN);
    }

    public double meanY() {
        return Arrays.stream(y).average().orElse(Double.NaN);
    }

    /** The points at the given indices (with repeats, for the bootstrap). */
    public FitData select(int[] idx) {
        double[] su = new double[idx.length], sy = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            su[i] = u[idx[i]];
            sy[i] = y[idx[i]];
        }
        return new FitData(su, sy, fullScale);
    }

    /** The scale of scores: percentages when any score exceeds 1.5, fractions otherwise. */
    public static double detectFullScale(double[] y) {
        return Arrays.stream(y).max().orElse(0) > 1.5 ? 100 : 1;
    }
}
