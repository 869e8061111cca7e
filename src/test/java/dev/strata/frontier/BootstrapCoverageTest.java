package dev.strata.frontier;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * The bootstrap's intervals on derived quantities cover the truth: over 100 seeded data sets from
 * a saturating power law (60 models over 5 decades, noise sd 2 points), the 95 % intervals of the
 * knee (closed form below), the asymptote and the curve at the middle of the range each hold the
 * generating value in at least 90 runs. 200 resamples per run, for speed (see FitterCoverageTest).
 */
class BootstrapCoverageTest {
    static final double C = 0.85, Q = -0.5, ALPHA = 0.4, EPS = 0.01, MID_U = 1.5;

    /** Slope ln10 alpha 10^(q - alpha u) = eps solved for u. */
    static double trueKneeU() {
        return (Q - Math.log10(EPS / (Math.log(10) * ALPHA))) / ALPHA;
    }

    @Test
    void kneeAsymptoteAndCurveAreCovered() {
        PowerLawModel model = new PowerLawModel();
        double[] truth = {C, Q, ALPHA};
        double trueMid = model.value(truth, MID_U);
        RobustFitter fitter = new RobustFitter(RobustLoss.HUBER, Double.NaN);
        int knee = 0, asymptote = 0, curve = 0, runs = 100;
        for (int run = 0; run < runs; run++) {
            FitData data = Synthetic.sample(model, truth, 60, -1, 4, 0.02, 5000 + run);
            RobustFitter.Fit full = fitter.fit(model, data);
            Bootstrap.Samples s = Bootstrap.run(fitter, full, data, 200, run, EPS, new double[] {MID_U}, null);
            if (Synthetic.covers(Stats.interval95(s.kneeU()), trueKneeU())) knee++;
            if (Synthetic.covers(Stats.interval95(s.asymptotes()), C)) asymptote++;
            if (Synthetic.covers(s.predictionInterval(0), trueMid)) curve++;
        }
        System.out.println("power-law coverage in " + runs + " runs: knee " + knee + ", asymptote " + asymptote + ", curve " + curve);
        assertTrue(knee >= 90, "knee covered in " + knee + " runs");
        assertTrue(asymptote >= 90, "asymptote covered in " + asymptote + " runs");
        assertTrue(curve >= 90, "curve covered in " + curve + " runs");
        assertTrue(trueKneeU() > -1 && trueKneeU() < 4, "the true knee lies inside the sampled range: " + trueKneeU());
        assertEquals(3.66, trueKneeU(), 0.01);
    }
}
