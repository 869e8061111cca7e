package dev.strata.frontier;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The numeric knee against closed forms derived by hand for each curve. */
class KneeTest {

    /**
     * Sigmoid: slope (c - f) a s (1 - s) = eps on the falling side gives
     * s = (1 + sqrt(1 - 4k)) / 2 with k = eps / ((c - f) a), and u = b + logit(s) / a.
     */
    @Test
    void sigmoidKneeMatchesTheClosedForm() {
        double f = 0.25, a = 1.7, b = 2.2, c = 0.82, eps = 0.01;
        SigmoidModel m = new SigmoidModel(f);
        double[] p = {a, b, c};
        double k = eps / ((c - f) * a);
        double s = (1 + Math.sqrt(1 - 4 * k)) / 2;
        double expected = b + Math.log(s / (1 - s)) / a;
        double knee = Knee.find(u -> m.value(p, u), eps, 0, 5);
        assertEquals(expected, knee, 1e-6);
        assertEquals(Knee.Status.WITHIN_DATA, Knee.classify(knee, 0, 5));
        assertEquals(Knee.Status.EXTRAPOLATED, Knee.classify(knee, 0, 3));
    }

    /** Power law c - 10^(q - alpha u): slope ln10 alpha 10^(q - alpha u) = eps. */
    @Test
    void powerLawKneeMatchesTheClosedForm() {
        double c = 0.9, q = 0.2, alpha = 0.3, eps = 0.01;
        double[] p = {c, q, alpha};
        PowerLawModel m = new PowerLawModel();
        double expected = (q - Math.log10(eps / (Math.log(10) * alpha))) / alpha;
        assertEquals(expected, Knee.find(u -> m.value(p, u), eps, -2, 3), 1e-6);
    }

    /** A line's slope is constant: above epsilon there is no knee, below it the curve is flat everywhere. */
    @Test
    void lineHasNoKneeOrIsFlatThroughout() {
        LogLinearModel m = new LogLinearModel();
        double steep = Knee.find(u -> m.value(new double[] {0.05, 0.3}, u), 0.01, 0, 4);
        double flat = Knee.find(u -> m.value(new double[] {0.005, 0.3}, u), 0.01, 0, 4);
        assertEquals(Double.POSITIVE_INFINITY, steep);
        assertEquals(Knee.Status.NONE, Knee.classify(steep, 0, 4));
        assertEquals(Double.NEGATIVE_INFINITY, flat);
        assertEquals(Knee.Status.FLAT_THROUGHOUT, Knee.classify(flat, 0, 4));
    }

    /** A sigmoid too shallow to ever gain epsilon per decade: (c - f) a / 4 < eps. */
    @Test
    void shallowSigmoidIsFlatThroughout() {
        SigmoidModel m = new SigmoidModel(0.25);
        double[] p = {0.1, 2, 0.6};
        assertTrue((0.6 - 0.25) * 0.1 / 4 < 0.01);
        assertEquals(Double.NEGATIVE_INFINITY, Knee.find(u -> m.value(p, u), 0.01, 0, 4));
    }
}
