package dev.strata.eval.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

class McNemarTest {
    /** Fagerland, Lydersen and Laake (2013), BMC Med Res Methodol 13:91: b = 1, c = 7 gives the exact conditional p = 0.070. */
    @Test
    void matchesThePublishedExample() {
        assertEquals(0.0703125, McNemar.exactP(1, 7), 1e-15); // 2 * (1 + 8) / 256
        assertEquals(0.070, McNemar.exactP(7, 1), 5e-4);
    }

    /** Two-sided exact p against the binomial tail summed exactly in BigDecimal, across small and large n. */
    @Test
    void equalsTheExactBinomialSum() {
        long[][] cases = {{0, 0}, {0, 1}, {0, 5}, {3, 3}, {4, 5}, {10, 30}, {17, 18}, {40, 70}, {120, 180}, {480, 520}, {0, 1500}, {700, 900}};
        for (long[] c : cases) {
            double expected = exactTwoSided(c[0], c[1]).doubleValue();
            double actual = McNemar.exactP(c[0], c[1]);
            assertEquals(expected, actual, Math.max(1e-300, expected * 1e-10), c[0] + " vs " + c[1]);
        }
    }

    @Test
    void countsDiscordantPairs() {
        boolean[] a = {true, true, false, false, true};
        boolean[] b = {true, false, true, true, false};
        assertArrayEquals(new long[] {2, 2}, McNemar.discordant(a, b));
    }

    static BigDecimal exactTwoSided(long b, long c) {
        int n = (int) (b + c);
        if (n == 0) return BigDecimal.ONE;
        int k = (int) Math.min(b, c);
        BigInteger sum = BigInteger.ZERO, choose = BigInteger.ONE;
        for (int i = 0; i <= k; i++) {
            sum = sum.add(choose);
            choose = choose.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        }
        BigDecimal p = new BigDecimal(sum.shiftLeft(1)).divide(new BigDecimal(BigInteger.ONE.shiftLeft(n)), MathContext.DECIMAL128);
        return p.min(BigDecimal.ONE);
    }
}
