package dev.strata.eval.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Paired bootstrap of a mean difference: resample items with replacement, keeping each item's two
 * outcomes together, and take the percentile interval of the resampled mean of (second - first).
 * Seeded, so a report recomputed from the same ledger gives the same interval.
 */
public final class PairedBootstrap {
    public static final int DEFAULT_RESAMPLES = 10_000;

    private PairedBootstrap() {}

    /** The observed difference and its percentile interval at the given two-sided level. */
    public record Interval(double estimate, double low, double high) {
        /** True when the interval excludes zero. */
        public boolean excludesZero() {
            return low > 0 || high < 0;
        }
    }

    /** Δaccuracy = accuracy(second) - accuracy(first), 95%, 10,000 resamples. */
    public static Interval accuracyDifference(boolean[] first, boolean[] second, long seed) {
        double[] a = new double[first.length], b = new double[second.length];
        for (int i = 0; i < a.length; i++) a[i] = first[i] ? 1 : 0;
        for (int i = 0; i < b.length; i++) b[i] = second[i] ? 1 : 0;
        return meanDifference(a, b, seed, DEFAULT_RESAMPLES, 0.95);
    }

    /** For continuous per-item metrics (log-likelihoods, token counts, costs). */
    public static Interval meanDifference(double[] first, double[] second, long seed, int resamples, double level) {
        if (first.length != second.length) throw new IllegalArgumentException("unpaired outcomes: " + first.length + " vs " + second.length);
        if (resamples < 1) throw new IllegalArgumentException("resamples must be positive, got " + resamples);
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        int n = first.length;
        if (n == 0) return new Interval(Double.NaN, Double.NaN, Double.NaN);
        double[] d = new double[n];
        double observed = 0;
        for (int i = 0; i < n; i++) {
            d[i] = second[i] - first[i];
            observed += d[i];
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] means = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double s = 0;
            for (int i = 0; i < n; i++) s += d[rng.nextInt(n)];
            means[r] = s / n;
        }
        Arrays.sort(means);
        double tail = (1 - level) / 2;
        return new Interval(observed / n, quantile(means, tail), quantile(means, 1 - tail));
    }

    /** The type-7 (linear interpolation) sample quantile of sorted values, as R and NumPy default to. */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
