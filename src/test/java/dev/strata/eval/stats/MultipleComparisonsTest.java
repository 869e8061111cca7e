package dev.strata.eval.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MultipleComparisonsTest {
    /** Benjamini and Hochberg (1995), JRSS B 57:289-300, section 3.2: the 15 p-values of the myocardial infarction study. */
    private static final double[] BH_1995 = {0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240,
            0.4262, 0.5719, 0.6528, 0.7590, 1.000};

    /** The paper: at 0.05 the FDR procedure rejects the four smallest, the Bonferroni-type (Holm/Hochberg) procedures three. */
    @Test
    void reproducesTheRejectionsOfBenjaminiHochberg1995() {
        assertEquals(4, rejected(MultipleComparisons.benjaminiHochberg(BH_1995), 0.05));
        assertEquals(3, rejected(MultipleComparisons.holm(BH_1995), 0.05));
    }

    /** Hand-computed from the definitions (and what R's p.adjust prints for the same vector). */
    @Test
    void adjustedValuesInInputOrder() {
        double[] p = {0.01, 0.04, 0.03, 0.005};
        // sorted 0.005, 0.01, 0.03, 0.04: Holm x4, x3, x2, x1 = 0.02, 0.03, 0.06, 0.04 -> running max 0.02, 0.03, 0.06, 0.06
        assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02}, MultipleComparisons.holm(p), 1e-15);
        // BH x4/1, x4/2, x4/3, x4/4 = 0.02, 0.02, 0.04, 0.04 -> running min from the top: same
        assertArrayEquals(new double[] {0.02, 0.04, 0.04, 0.02}, MultipleComparisons.benjaminiHochberg(p), 1e-15);
        assertArrayEquals(new double[] {1.0, 1.0}, MultipleComparisons.holm(new double[] {0.6, 0.7}), 0);
        assertArrayEquals(new double[] {0.7, 0.7}, MultipleComparisons.benjaminiHochberg(new double[] {0.6, 0.7}), 1e-15);
        assertArrayEquals(new double[] {0.2}, MultipleComparisons.holm(new double[] {0.2}), 0);
    }

    private static long rejected(double[] adjusted, double alpha) {
        return Arrays.stream(adjusted).filter(q -> q <= alpha).count();
    }
}
