package dev.strata.frontier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Fits the three frontier models to one benchmark, picks one by error above a compute cutoff
 * (fit on the smallest models, score on the largest), and bootstraps every model for intervals
 * on parameters, asymptote and knee. Residuals and rankings are against the chosen model.
 */
public final class FrontierAnalysis {
    private static final int BAND_POINTS = 120;

    private FrontierAnalysis() {}

    public static FrontierResult run(Benchmark bench, FrontierOptions opt, Runnable tick) {
        FitData data = bench.fitData();
        double point = data.point();
        double chance = bench.chance();
        RobustFitter fitter = new RobustFitter(opt.loss(), opt.lossScalePoints() * point);
        List<CurveModel> models = List.of(new SigmoidModel(chance), new PowerLawModel(), new LogLinearModel());

        int[] order = orderByU(data);
        int trainN = (int) Math.ceil((1 - opt.holdoutFraction()) * data.size());
        trainN = Math.max(Math.min(trainN, data.size() - 2), 4);
        FitData train = data.select(Arrays.copyOfRange(order, 0, trainN));
        FitData test = data.select(Arrays.copyOfRange(order, trainN, data.size()));
        double cutoffX = Math.pow(10, data.u()[order[trainN - 1]]);

        double[] bandU = grid(data.minU() - 0.2, data.maxU() + 1, BAND_POINTS);
        double[] evalU = concat(data.u(), bandU);
        double epsilon = opt.epsilonPoints() * point;

        List<FrontierResult.Candidate> candidates = new ArrayList<>();
        List<RobustFitter.Fit> fulls = new ArrayList<>();
        List<Bootstrap.Samples> samples = new ArrayList<>();
        for (CurveModel m : models) {
            RobustFitter.Fit heldOutFit = fitter.fit(m, train);
            double[] err = errors(heldOutFit, test);
            RobustFitter.Fit full = fitter.fit(m, data);
            Bootstrap.Samples s = Bootstrap.run(fitter, full, data, opt.resamples(), opt.seed(), epsilon, evalU, tick);
            fulls.add(full);
            samples.add(s);
            candidates.add(candidate(m, full, s, data, err, epsilon));
        }
        int best = 0;
        for (int i = 1; i < candidates.size(); i++) if (candidates.get(i).heldOutRmse() < candidates.get(best).heldOutRmse()) best = i;

        RobustFitter.Fit chosen = fulls.get(best);
        Bootstrap.Samples cs = samples.get(best);
        FrontierResult.Band band = band(chosen, cs, bandU, data.size(), point);
        List<FrontierResult.ModelResidual> residuals = Residuals.perModel(bench, chosen, cs, data, chance);
        List<FrontierResult.FamilyResidual> families = Residuals.perFamily(residuals);
        return new FrontierResult(bench.name(), bench.xLabel(), bench.size(), bench.missingX(), bench.missingY(), bench.excluded(),
                bench.derivedCount(), Double.isNaN(chance) ? Double.NaN : chance / point, cutoffX, trainN, data.size() - trainN,
                models.get(best).name(), candidates, band, residuals, families, opt.epsilonPoints(), opt.resamples(), opt.seed(),
                opt.loss().name().toLowerCase().replace('_', '-'));
    }

    private static FrontierResult.Candidate candidate(CurveModel m, RobustFitter.Fit full, Bootstrap.Samples s, FitData data,
                                                      double[] heldOut, double epsilon) {
        double point = data.point();
        int k = m.parameterNames().size();
        double[][] pInt = new double[k][];
        for (int j = 0; j < k; j++) pInt[j] = Stats.interval95(s.parameter(j));
        double kneeU = Knee.find(u -> m.value(full.parameters(), u), epsilon, data.minU(), data.maxU());
        double[] kneeInt = Stats.interval95(s.kneeU());
        double within = Arrays.stream(s.kneeU()).filter(u -> u <= data.maxU()).count() / (double) s.kneeU().length;
        double[] asymInt = Stats.interval95(s.asymptotes());
        double inSample = errors(full, data)[0];
        return new FrontierResult.Candidate(m.name(), m.parameterNames(), full.parameters(), pInt, heldOut[0], heldOut[1], inSample,
                full.converged(), m.asymptote(full.parameters()) / point, new double[] {asymInt[0] / point, asymInt[1] / point},
                Math.pow(10, kneeU), new double[] {Math.pow(10, kneeInt[0]), Math.pow(10, kneeInt[1])},
                Knee.classify(kneeU, data.minU(), data.maxU()), within, Knee.slope(u -> m.value(full.parameters(), u), data.maxU()) / point,
                Arrays.stream(Stats.interval95(s.slopeAtMaxU())).map(v -> v / point).toArray());
    }

    /** RMSE and MAE of the fit on the given points, in points. */
    static double[] errors(RobustFitter.Fit fit, FitData d) {
        double sq = 0, abs = 0;
        for (int i = 0; i < d.size(); i++) {
            double r = fit.predict(d.u()[i]) - d.y()[i];
            sq += r * r;
            abs += Math.abs(r);
        }
        return new double[] {Math.sqrt(sq / d.size()) / d.point(), abs / d.size() / d.point()};
    }

    private static FrontierResult.Band band(RobustFitter.Fit fit, Bootstrap.Samples s, double[] bandU, int offset, double point) {
        int g = bandU.length;
        double[] x = new double[g], y = new double[g], lo = new double[g], hi = new double[g];
        for (int j = 0; j < g; j++) {
            x[j] = Math.pow(10, bandU[j]);
            y[j] = fit.predict(bandU[j]) / point;
            double[] ci = s.predictionInterval(offset + j);
            lo[j] = ci[0] / point;
            hi[j] = ci[1] / point;
        }
        return new FrontierResult.Band(x, y, lo, hi);
    }

    private static int[] orderByU(FitData d) {
        return java.util.stream.IntStream.range(0, d.size()).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> d.u()[i])).mapToInt(Integer::intValue).toArray();
    }

    static double[] grid(double lo, double hi, int n) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) g[i] = lo + (hi - lo) * i / (n - 1);
        return g;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
