package dev.strata.eval.stats;

/**
 * The Wilson score interval for a binomial proportion (Wilson 1927; Newcombe 1998, method 3):
 * unlike the Wald interval it stays inside [0, 1] and keeps close to its nominal coverage at small
 * n and near 0 or 1, which is where small models' accuracies live.
 */
public final class Wilson {
    /** The two-sided 95% normal quantile. */
    public static final double Z95 = 1.959963984540054;

    private Wilson() {}

    public record Interval(double low, double high) {}

    public static Interval interval95(long successes, long n) {
        return interval(successes, n, Z95);
    }

    public static Interval interval(long successes, long n, double z) {
        if (n < 0 || successes < 0 || successes > n) throw new IllegalArgumentException(successes + " successes of " + n);
        if (n == 0) return new Interval(0, 1);
        double p = successes / (double) n, z2 = z * z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        return new Interval(successes == 0 ? 0 : Math.max(0, centre - half), successes == n ? 1 : Math.min(1, centre + half));
    }
}
