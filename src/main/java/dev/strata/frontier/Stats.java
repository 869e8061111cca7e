package dev.strata.frontier;

import java.util.Arrays;

/** Small statistics helpers: quantiles of sorted samples, mean, standard deviation, Student-t quantiles. */
public final class Stats {
    private Stats() {}

    /** The q-quantile of sorted values with linear interpolation (Hyndman–Fan type 7, R's default); infinities pass through. */
    public static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h), hi = Math.min(lo + 1, sorted.length - 1);
        double frac = h - lo;
        if (frac == 0 || sorted[lo] == sorted[hi]) return sorted[lo];
        if (Double.isInfinite(sorted[lo]) || Double.isInfinite(sorted[hi])) return frac < 0.5 ? sorted[lo] : sorted[hi];
        return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
    }

    /** The central 95 % percentile interval of the samples, NaNs dropped. */
    public static double[] interval95(double[] samples) {
        double[] s = Arrays.stream(samples).filter(v -> !Double.isNaN(v)).sorted().toArray();
        return new double[] {quantile(s, 0.025), quantile(s, 0.975)};
    }

    public static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    public static double sd(double[] v) {
        double m = mean(v), s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / (v.length - 1));
    }

    /** The p-quantile of Student's t with df degrees of freedom, by bisection on the CDF. */
    public static double studentTQuantile(double p, int df) {
        if (p <= 0 || p >= 1 || df < 1) throw new IllegalArgumentException("p in (0,1), df >= 1");
        if (p < 0.5) return -studentTQuantile(1 - p, df);
        double lo = 0, hi = 1;
        while (studentTCdf(hi, df) < p) hi *= 2;
        for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
            double mid = (lo + hi) / 2;
            if (studentTCdf(mid, df) < p) lo = mid;
            else hi = mid;
        }
        return (lo + hi) / 2;
    }

    /** P(T <= t) = 1 - I_{df/(df+t^2)}(df/2, 1/2) / 2 for t >= 0. */
    public static double studentTCdf(double t, int df) {
        double tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2.0, 0.5);
        return t >= 0 ? 1 - tail : tail;
    }

    /** The regularised incomplete beta I_x(a, b) by Lentz's continued fraction (Numerical Recipes 6.4). */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
        if (x < (a + 1) / (a + b + 2)) return Math.exp(lnFront) * betaFraction(x, a, b) / a;
        return 1 - Math.exp(lnFront) * betaFraction(1 - x, b, a) / b;
    }

    private static double betaFraction(double x, double a, double b) {
        double tiny = 1e-300, c = 1, d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.abs(d) < tiny ? tiny : d);
        double h = d;
        for (int m = 1; m <= 10_000; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + aa * d;
            d = 1 / (Math.abs(d) < tiny ? tiny : d);
            c = 1 + aa / c;
            c = Math.abs(c) < tiny ? tiny : c;
            h *= d * c;
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + aa * d;
            d = 1 / (Math.abs(d) < tiny ? tiny : d);
            c = 1 + aa / c;
            c = Math.abs(c) < tiny ? tiny : c;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return h;
    }

    /** ln Gamma(x) for x > 0 by the Lanczos approximation (g = 7, n = 9), accurate to about 1e-15. */
    static double logGamma(double x) {
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
                -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
        if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        x -= 1;
        double s = c[0], t = x + 7.5;
        for (int i = 1; i < 9; i++) s += c[i] / (x + i);
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
    }
}
