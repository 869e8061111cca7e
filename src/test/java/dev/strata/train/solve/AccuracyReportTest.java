package dev.strata.train.solve;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class AccuracyReportTest {
    /** Reference values: the textbook 0/10 and 5/10 intervals, the others from the closed form evaluated in Python. */
    @Test
    void wilsonIntervalsMatchPublishedValues() {
        assertInterval(AccuracyReport.wilson(0, 10, 1.959964), 0.0, 0.27753);
        assertInterval(AccuracyReport.wilson(5, 10, 1.959964), 0.23659, 0.76341);
        assertInterval(AccuracyReport.wilson(450, 500, 1.959964), 0.87058, 0.92332);
        assertInterval(AccuracyReport.wilson(500, 500, 1.959964), 0.99238, 1.0);
    }

    private static void assertInterval(double[] ci, double lo, double hi) {
        assertEquals(lo, ci[0], 5e-5);
        assertEquals(hi, ci[1], 5e-5);
    }
}
