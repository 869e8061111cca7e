package dev.strata.eval.stats;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Adjusted p-values for m simultaneous tests, in the input order, as R's p.adjust gives them:
 * Holm (1979) controls the family-wise error rate; Benjamini and Hochberg (1995) the false
 * discovery rate. A hypothesis is rejected at level alpha when its adjusted p is at most alpha.
 */
public final class MultipleComparisons {
    private MultipleComparisons() {}

    /** Holm step-down: the i-th smallest p times (m - i + 1), made non-decreasing, capped at 1. */
    public static double[] holm(double[] p) {
        int m = p.length;
        Integer[] order = ascending(p);
        double[] adjusted = new double[m];
        double running = 0;
        for (int i = 0; i < m; i++) {
            running = Math.max(running, Math.min(1, (m - i) * p[order[i]]));
            adjusted[order[i]] = running;
        }
        return adjusted;
    }

    /** Benjamini-Hochberg step-up: the i-th smallest p times m / i, made non-decreasing from the top, capped at 1. */
    public static double[] benjaminiHochberg(double[] p) {
        int m = p.length;
        Integer[] order = ascending(p);
        double[] adjusted = new double[m];
        double running = 1;
        for (int i = m - 1; i >= 0; i--) {
            running = Math.min(running, Math.min(1, p[order[i]] * m / (i + 1)));
            adjusted[order[i]] = running;
        }
        return adjusted;
    }

    private static Integer[] ascending(double[] p) {
        for (double v : p) if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException("p-value " + v + " is outside [0, 1]");
        Integer[] order = new Integer[p.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        return order;
    }
}
