package dev.strata.eval.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The decision rule the report uses (exact McNemar at alpha = 0.05; the paired bootstrap interval
 * excluding 0) on synthetic paired outcomes whose truth is known. Items vary in difficulty, and
 * both variants answer each item independently with the same per-item probability, so the pairs
 * are correlated through the item as real model outputs are.
 */
class NullAndPowerSimulationTest {
    private static final int COMPARISONS = 200, ITEMS = 200;
    private static final double ALPHA = 0.05;

    @Test
    void falsePositiveRateUnderTheNullStaysWithinAlphaPlusItsBinomialMargin() {
        SplittableRandom rng = new SplittableRandom(2026);
        int mcnemar = 0, bootstrap = 0;
        for (int k = 0; k < COMPARISONS; k++) {
            boolean[][] pair = pairedOutcomes(rng, 0);
            long[] bc = McNemar.discordant(pair[0], pair[1]);
            if (McNemar.exactP(bc[0], bc[1]) <= ALPHA) mcnemar++;
            if (bootstrapExcludesZero(pair, k)) bootstrap++;
        }
        int limit = upperQuantile(COMPARISONS, ALPHA, 0.001);
        System.out.printf("null: McNemar %d/%d significant, bootstrap %d/%d (limit %d, alpha %.2f)%n", mcnemar, COMPARISONS, bootstrap,
                COMPARISONS, limit, ALPHA);
        assertTrue(mcnemar <= limit, "McNemar called " + mcnemar + " of " + COMPARISONS + " null comparisons significant; limit " + limit);
        assertTrue(bootstrap <= limit, "the bootstrap excluded 0 in " + bootstrap + " of " + COMPARISONS + "; limit " + limit);
    }

    /** A true difference of +0.15 accuracy; McNemar's power at n = 200 is about 0.85 by the normal approximation. */
    @Test
    void powerAgainstAKnownDifference() {
        SplittableRandom rng = new SplittableRandom(99);
        int detected = 0, wrongDirection = 0;
        for (int k = 0; k < COMPARISONS; k++) {
            boolean[][] pair = pairedOutcomes(rng, 0.15);
            long[] bc = McNemar.discordant(pair[0], pair[1]);
            if (McNemar.exactP(bc[0], bc[1]) <= ALPHA) {
                if (bc[1] > bc[0]) detected++;
                else wrongDirection++;
            }
        }
        double power = detected / (double) COMPARISONS;
        System.out.printf("power at Δ = 0.15, n = %d: %.3f (%d wrong-direction calls)%n", ITEMS, power, wrongDirection);
        assertTrue(power >= 0.7, "power " + power);
        assertTrue(wrongDirection <= 1, "wrong-direction significant calls: " + wrongDirection);
    }

    /** Per item a difficulty p ~ U(0.1, 0.75); the first variant is right with p, the second with p + delta. */
    private static boolean[][] pairedOutcomes(SplittableRandom rng, double delta) {
        boolean[] a = new boolean[ITEMS], b = new boolean[ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            double p = 0.1 + 0.65 * rng.nextDouble();
            a[i] = rng.nextDouble() < p;
            b[i] = rng.nextDouble() < p + delta;
        }
        return new boolean[][] {a, b};
    }

    private static boolean bootstrapExcludesZero(boolean[][] pair, long seed) {
        double[] a = new double[ITEMS], b = new double[ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            a[i] = pair[0][i] ? 1 : 0;
            b[i] = pair[1][i] ? 1 : 0;
        }
        return PairedBootstrap.meanDifference(a, b, seed, 2_000, 1 - ALPHA).excludesZero();
    }

    /** The smallest k with P(X > k) < tail for X ~ Binomial(n, p), summed exactly. */
    static int upperQuantile(int n, double p, double tail) {
        BigDecimal pp = new BigDecimal(Double.toString(p)), q = BigDecimal.ONE.subtract(pp), cdf = BigDecimal.ZERO;
        BigDecimal threshold = BigDecimal.ONE.subtract(new BigDecimal(Double.toString(tail)));
        BigInteger choose = BigInteger.ONE;
        for (int k = 0; k <= n; k++) {
            cdf = cdf.add(new BigDecimal(choose).multiply(pp.pow(k)).multiply(q.pow(n - k)), MathContext.DECIMAL128);
            if (cdf.compareTo(threshold) > 0) return k;
            choose = choose.multiply(BigInteger.valueOf(n - k)).divide(BigInteger.valueOf(k + 1));
        }
        return n;
    }
}
