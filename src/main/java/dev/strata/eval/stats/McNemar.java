package dev.strata.eval.stats;

/**
 * The exact McNemar test for paired binary outcomes: under "no difference" each discordant pair
 * (one variant right, the other wrong) goes either way with probability 1/2, so the number b of
 * pairs favouring one side is Binomial(b + c, 1/2). The two-sided p-value doubles the smaller tail
 * (capped at 1), as the conditional exact test in Fagerland, Lydersen and Laake (2013) does.
 */
public final class McNemar {
    private McNemar() {}

    /** b: pairs where only the first is right; c: pairs where only the second is right. */
    public static double exactP(long b, long c) {
        if (b < 0 || c < 0) throw new IllegalArgumentException("negative discordant counts " + b + ", " + c);
        long n = b + c;
        if (n == 0) return 1;
        return Math.min(1, 2 * binomialHalfCdf(Math.min(b, c), n));
    }

    /** Discordant counts of paired outcomes: {b = first only, c = second only}. */
    public static long[] discordant(boolean[] first, boolean[] second) {
        if (first.length != second.length) throw new IllegalArgumentException("unpaired outcomes: " + first.length + " vs " + second.length);
        long b = 0, c = 0;
        for (int i = 0; i < first.length; i++) {
            if (first[i] && !second[i]) b++;
            else if (!first[i] && second[i]) c++;
        }
        return new long[] {b, c};
    }

    /**
     * P(X <= k) for X ~ Binomial(n, 1/2), summed in log space from the mode's side so that large n
     * neither underflows 2^-n nor overflows the binomial coefficients.
     */
    static double binomialHalfCdf(long k, long n) {
        if (k >= n) return 1;
        if (2 * k >= n) return 1 - binomialHalfCdf(n - k - 1, n);
        // terms grow with i for i <= k < n/2; sum relative to the largest term, C(n, k) / 2^n
        double logTop = logChoose(n, k) - n * Math.log(2);
        double sum = 0, term = 1;
        for (long i = k; i >= 0; i--) {
            sum += term;
            term *= (double) i / (n - i + 1); // C(n, i-1) / C(n, i)
            if (term < 1e-18 * sum) break;
        }
        return Math.exp(logTop + Math.log(sum));
    }

    private static double logChoose(long n, long k) {
        double s = 0;
        long small = Math.min(k, n - k);
        for (long i = 1; i <= small; i++) s += Math.log((double) (n - small + i) / i);
        return s;
    }
}
