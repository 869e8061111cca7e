package dev.strata.eval.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PairedBootstrapTest {
    /**
     * For binary outcomes the bootstrap distribution is known exactly: a resample has (B, C, R) ~
     * Multinomial(n; b/n, c/n, r/n) items of each discordant kind, and Δ* = (C - B) / n. Its 2.5%
     * and 97.5% quantiles, enumerated here, must match the 10,000-resample interval to one step 1/n.
     */
    @Test
    void accuracyIntervalMatchesTheExactBootstrapDistribution() {
        int[][] cases = {{60, 6, 14}, {80, 10, 10}, {50, 2, 12}, {100, 25, 5}};
        for (int[] c : cases) {
            int n = c[0], b = c[1], cc = c[2];
            boolean[] first = new boolean[n], second = new boolean[n];
            for (int i = 0; i < b; i++) first[i] = true;
            for (int i = b; i < b + cc; i++) second[i] = true;
            for (int i = b + cc; i < n; i += 2) first[i] = second[i] = true; // concordant pairs, half right
            var ci = PairedBootstrap.accuracyDifference(first, second, 42);
            double[] exact = exactQuantiles(n, b, cc, 0.025, 0.975);
            assertEquals((cc - b) / (double) n, ci.estimate(), 1e-12);
            assertEquals(exact[0], ci.low(), 1.0 / n + 1e-9, "low, case " + n + "/" + b + "/" + cc);
            assertEquals(exact[1], ci.high(), 1.0 / n + 1e-9, "high, case " + n + "/" + b + "/" + cc);
        }
    }

    /** For a continuous metric and large n the percentile interval approaches mean ± 1.96 sd / sqrt(n). */
    @Test
    void continuousIntervalApproachesTheNormalOne() {
        SplittableRandom rng = new SplittableRandom(7);
        int n = 2000;
        double[] a = new double[n], b = new double[n];
        double sum = 0, sumSq = 0;
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextDouble() * 4;
            b[i] = a[i] + 0.1 + rng.nextGaussian();
            double d = b[i] - a[i];
            sum += d;
            sumSq += d * d;
        }
        double mean = sum / n, sd = Math.sqrt((sumSq - n * mean * mean) / (n - 1)), half = Wilson.Z95 * sd / Math.sqrt(n);
        var ci = PairedBootstrap.meanDifference(a, b, 3, 10_000, 0.95);
        assertEquals(mean, ci.estimate(), 1e-12);
        assertEquals(mean - half, ci.low(), 0.1 * half);
        assertEquals(mean + half, ci.high(), 0.1 * half);
    }

    @Test
    void sameSeedSameInterval() {
        boolean[] a = {true, false, true, true, false, false, true, true}, b = {true, true, true, false, true, false, true, true};
        assertEquals(PairedBootstrap.accuracyDifference(a, b, 5), PairedBootstrap.accuracyDifference(a, b, 5));
        assertTrue(PairedBootstrap.accuracyDifference(a, b, 5).low() <= PairedBootstrap.accuracyDifference(a, b, 5).high());
    }

    /** Lowest values v of Δ* = (C - B) / n with P(Δ* <= v) >= q, for each q, by enumerating the multinomial. */
    private static double[] exactQuantiles(int n, int b, int c, double... qs) {
        double pb = b / (double) n, pc = c / (double) n, pr = 1 - pb - pc;
        double[] mass = new double[2 * n + 1]; // index (C - B) + n
        for (int nb = 0; nb <= n; nb++) {
            for (int nc = 0; nc + nb <= n; nc++) {
                double log = logFactorial(n) - logFactorial(nb) - logFactorial(nc) - logFactorial(n - nb - nc)
                        + term(nb, pb) + term(nc, pc) + term(n - nb - nc, pr);
                mass[nc - nb + n] += Math.exp(log);
            }
        }
        double[] out = new double[qs.length];
        for (int k = 0; k < qs.length; k++) {
            double cdf = 0;
            int v = 0;
            while (v < mass.length - 1 && (cdf += mass[v]) < qs[k]) v++;
            out[k] = (v - n) / (double) n;
        }
        return out;
    }

    private static double term(int count, double p) {
        return count == 0 ? 0 : count * Math.log(p);
    }

    private static double logFactorial(int k) {
        double s = 0;
        for (int i = 2; i <= k; i++) s += Math.log(i);
        return s;
    }
}
