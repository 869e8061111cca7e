package dev.strata.frontier;

import java.util.SplittableRandom;

/**
 * The nonparametric bootstrap over models: resample the points with replacement, refit from the
 * full-data fit, and keep each resample's parameters, asymptote, knee and predictions. Resample k
 * draws from its own seeded stream, so any one resample can be reproduced alone.
 */
public final class Bootstrap {

    /** Per-resample draws (slopes dy/dlog10 x at the largest observed x); predictions[k][j] is resample k's curve at evalU[j]. */
    public record Samples(double[][] parameters, double[] asymptotes, double[] kneeU, double[] slopeAtMaxU, double[][] predictions) {
        public double[] parameter(int j) {
            double[] out = new double[parameters.length];
            for (int k = 0; k < out.length; k++) out[k] = parameters[k][j];
            return out;
        }

        /** The central 95 % interval of the predictions at evalU[j]. */
        public double[] predictionInterval(int j) {
            double[] col = new double[predictions.length];
            for (int k = 0; k < col.length; k++) col[k] = predictions[k][j];
            return Stats.interval95(col);
        }
    }

    private Bootstrap() {}

    /**
     * @param epsilon the knee's slope threshold in score units per decade; NaN skips the knee
     * @param tick    called once per resample (progress)
     */
    public static Samples run(RobustFitter fitter, RobustFitter.Fit full, FitData data, int resamples, long seed, double epsilon,
                              double[] evalU, Runnable tick) {
        int n = data.size();
        CurveModel model = full.model();
        double[][] params = new double[resamples][];
        double[] asym = new double[resamples], knees = new double[resamples], slopes = new double[resamples];
        double[][] pred = new double[resamples][evalU.length];
        double minU = data.minU(), maxU = data.maxU();
        for (int k = 0; k < resamples; k++) {
            SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + k);
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) idx[i] = rng.nextInt(n);
            FitData sample = data.select(idx);
            RobustFitter.Fit f = fitter.fitFrom(model, sample, full.parameters());
            if (!f.converged()) f = fitter.fit(model, sample);
            double[] p = f.parameters();
            params[k] = p;
            asym[k] = model.asymptote(p);
            knees[k] = Double.isNaN(epsilon) ? Double.NaN : Knee.find(u -> model.value(p, u), epsilon, minU, maxU);
            slopes[k] = Knee.slope(u -> model.value(p, u), maxU);
            for (int j = 0; j < evalU.length; j++) pred[k][j] = model.value(p, evalU[j]);
            if (tick != null) tick.run();
        }
        return new Samples(params, asym, knees, slopes, pred);
    }
}
