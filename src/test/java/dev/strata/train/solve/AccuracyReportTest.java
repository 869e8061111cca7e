package dev.strata.train.solve;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.train.curriculum.Family;
import org.junit.jupiter.api.Test;

class AccuracyReportTest {
    /** Reference values: the textbook 0/10 and 5/10 intervals, the others from the closed form evaluated in Python. */
    @Test
    void wilsonIntervalsMatchPublishedValues() {
        assertInterval(wilson(0, 10), 0.0, 0.27753);
        assertInterval(wilson(5, 10), 0.23659, 0.76341);
        assertInterval(wilson(450, 500), 0.87058, 0.92332);
        assertInterval(wilson(500, 500), 0.99238, 1.0);
    }

    private static double[] wilson(int correct, int problems) {
        return new AccuracyReport.Cell(Family.ARITHMETIC, 1, problems, correct, 0).wilson95();
    }

    private static void assertInterval(double[] ci, double lo, double hi) {
        assertEquals(lo, ci[0], 5e-5);
        assertEquals(hi, ci[1], 5e-5);
    }
}
