package dev.strata.frontier;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Models and families against a fitted frontier: the "architecture over scale" evidence, model by model. */
final class Residuals {
    private Residuals() {}

    /**
     * Residuals against the fit, floored at chance where the benchmark has one: a power law or a
     * line falls below chance at small x, and a model at chance does not beat such a frontier.
     * The bootstrap predictions at each model's x are the first data.size() columns of s.
     */
    static List<FrontierResult.ModelResidual> perModel(Benchmark bench, RobustFitter.Fit fit, Bootstrap.Samples s, FitData data, double chance) {
        double point = data.point(), base = Double.isNaN(chance) ? 0 : chance;
        List<FrontierResult.ModelResidual> out = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            ScorePoint p = bench.points().get(i);
            double fitted = Double.isNaN(chance) ? fit.predict(data.u()[i]) : Math.max(fit.predict(data.u()[i]), chance);
            double upper = s.predictionInterval(i)[1];
            out.add(new FrontierResult.ModelResidual(p.model(), p.group(), p.x(), p.xDerived(), p.y() / point, fitted / point,
                    (p.y() - fitted) / point, p.y() > upper, computeMultiplier(fit, data, i), (p.y() - base) / point / p.x()));
        }
        return out;
    }

    /** 10^(u' - u) where the fitted curve reaches this model's score at u'; NaN when the curve does not rise. */
    static double computeMultiplier(RobustFitter.Fit fit, FitData data, int i) {
        double lo = data.minU() - Knee.SEARCH_DECADES, hi = data.maxU() + Knee.SEARCH_DECADES, y = data.y()[i];
        double yLo = fit.predict(lo), yHi = fit.predict(hi);
        if (!(yHi > yLo)) return Double.NaN;
        if (y >= yHi) return Double.POSITIVE_INFINITY;
        if (y <= yLo) return 0;
        for (int it = 0; it < 100 && hi - lo > 1e-10; it++) {
            double mid = (lo + hi) / 2;
            if (fit.predict(mid) < y) lo = mid;
            else hi = mid;
        }
        return Math.pow(10, (lo + hi) / 2 - data.u()[i]);
    }

    static List<FrontierResult.FamilyResidual> perFamily(List<FrontierResult.ModelResidual> residuals) {
        Map<String, List<Double>> byGroup = new LinkedHashMap<>();
        for (FrontierResult.ModelResidual r : residuals) byGroup.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r.residual());
        List<FrontierResult.FamilyResidual> out = new ArrayList<>();
        byGroup.forEach((g, rs) -> {
            double[] v = rs.stream().mapToDouble(Double::doubleValue).toArray();
            double m = Stats.mean(v);
            double half = v.length < 2 ? Double.NaN : Stats.studentTQuantile(0.975, v.length - 1) * Stats.sd(v) / Math.sqrt(v.length);
            out.add(new FrontierResult.FamilyResidual(g, v.length, m, m - half, m + half));
        });
        out.sort((a, b) -> Double.compare(b.meanResidual(), a.meanResidual()));
        return out;
    }
}
