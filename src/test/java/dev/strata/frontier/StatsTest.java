package dev.strata.frontier;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Quantiles against R's type 7 and Student-t quantiles against published tables. */
class StatsTest {

    @Test
    void quantileMatchesRType7() {
        double[] v = {1, 2, 3, 4};
        assertEquals(1.75, Stats.quantile(v, 0.25), 1e-15); // R: quantile(1:4, 0.25)
        assertEquals(2.5, Stats.quantile(v, 0.5), 1e-15);
        assertEquals(3.925, Stats.quantile(v, 0.975), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, Stats.quantile(new double[] {1, 2, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY}, 0.975));
    }

    /** t_{0.975} for df = 1, 2, 5, 10, 30 (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.2). */
    @Test
    void studentTQuantilesMatchTheTable() {
        assertEquals(12.706205, Stats.studentTQuantile(0.975, 1), 1e-5);
        assertEquals(4.302653, Stats.studentTQuantile(0.975, 2), 1e-5);
        assertEquals(2.570582, Stats.studentTQuantile(0.975, 5), 1e-5);
        assertEquals(2.228139, Stats.studentTQuantile(0.975, 10), 1e-5);
        assertEquals(2.042272, Stats.studentTQuantile(0.975, 30), 1e-5);
        assertEquals(-2.228139, Stats.studentTQuantile(0.025, 10), 1e-5);
    }

    /** t with one degree of freedom is Cauchy: P(T <= t) = 1/2 + atan(t)/pi exactly. */
    @Test
    void studentTCdfIsCauchyForOneDegree() {
        for (double t : new double[] {-3, -0.5, 0, 0.7, 4}) {
            assertEquals(0.5 + Math.atan(t) / Math.PI, Stats.studentTCdf(t, 1), 1e-12);
        }
    }
}
