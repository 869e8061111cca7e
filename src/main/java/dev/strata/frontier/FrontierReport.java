package dev.strata.frontier;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Renders frontier results as Markdown: a summary over benchmarks, then each benchmark's fits and rankings. */
public final class FrontierReport {
    static final double MIN_POINTS_ABOVE_CHANCE = 10;
    private FrontierReport() {}

    public static String markdown(List<FrontierResult> results, int top) {
        StringBuilder sb = new StringBuilder();
        if (results.size() > 1) summary(sb, results);
        for (FrontierResult r : results) benchmark(sb, r, top);
        return sb.toString();
    }

    private static void summary(StringBuilder sb, List<FrontierResult> results) {
        FrontierResult first = results.getFirst();
        sb.append("## Summary: score against ").append(first.xLabel()).append("\n\n");
        sb.append(String.format(Locale.ROOT, "Knee: where a further 10x of x buys less than %s points. 95 %% intervals from %d bootstrap resamples over models (seed %d), %s loss.%n%n",
                num(first.epsilonPoints()), first.resamples(), first.seed(), first.loss()));
        sb.append("| benchmark | n | chosen fit | held-out RMSE (points) | ceiling (95 % CI) | points per 10x at max x (95 % CI) | knee x (95 % CI) | knee | share of resamples with knee ≤ max x | top model above the frontier |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (FrontierResult r : results) {
            FrontierResult.Candidate c = r.chosenCandidate();
            FrontierResult.ModelResidual best = r.residuals().stream().max(Comparator.comparingDouble(FrontierResult.ModelResidual::residual)).orElseThrow();
            sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %.2f | %s | %s | %s | %s | %.0f %% | %s (+%.1f) |%n", r.benchmark(), r.n(), c.model(),
                    c.heldOutRmse(), withInterval(c.asymptote(), c.asymptoteInterval()), withInterval(c.slopeAtMaxX(), c.slopeAtMaxXInterval()), kneeText(c), statusText(c.kneeStatus()),
                    100 * c.kneeWithinDataShare(), best.model(), best.residual()));
        }
        sb.append('\n');
    }

    private static void benchmark(StringBuilder sb, FrontierResult r, int top) {
        sb.append("## ").append(r.benchmark()).append(" against ").append(r.xLabel()).append("\n\n");
        sb.append(String.format(Locale.ROOT, "%d models fitted (%d without x, %d without a score, %d excluded; %d with x derived as 6ND). ",
                r.n(), r.missingX(), r.missingY(), r.excluded(), r.derivedX()));
        sb.append(Double.isNaN(r.chancePoints()) ? "Sigmoid floor fitted (no fixed chance level). "
                : String.format(Locale.ROOT, "Sigmoid floor fixed at chance, %s points. ", num(r.chancePoints())));
        sb.append(String.format(Locale.ROOT, "Model choice: fit on the %d models with x ≤ %s, RMSE on the %d above.%n%n", r.trainN(), num(r.cutoffX()), r.testN()));
        sb.append("| fit | parameters (95 % CI) | held-out RMSE | held-out MAE | in-sample RMSE | ceiling (95 % CI) | points per 10x at max x (95 % CI) | knee x (95 % CI) | knee | share with knee ≤ max x |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (FrontierResult.Candidate c : r.candidates()) {
            StringBuilder params = new StringBuilder();
            for (int j = 0; j < c.parameters().length; j++) {
                if (j > 0) params.append("; ");
                params.append(c.parameterNames().get(j)).append(" = ").append(withInterval(c.parameters()[j], c.parameterIntervals()[j]));
            }
            String name = c.model().equals(r.chosen()) ? "**" + c.model() + "** (chosen)" : c.model();
            if (!c.converged()) name += " (not converged)";
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %s | %s | %s | %s | %.0f %% |%n", name, params, c.heldOutRmse(),
                    c.heldOutMae(), c.inSampleRmse(), withInterval(c.asymptote(), c.asymptoteInterval()),
                    withInterval(c.slopeAtMaxX(), c.slopeAtMaxXInterval()), kneeText(c),
                    statusText(c.kneeStatus()), 100 * c.kneeWithinDataShare()));
        }
        List<FrontierResult.ModelResidual> above = r.residuals().stream().filter(m -> m.residual() > 0)
                .sorted(Comparator.comparingDouble(FrontierResult.ModelResidual::residual).reversed()).limit(top).toList();
        sb.append("\nAbove the frontier (residual against the chosen fit, points; \"above band\": above the 95 % band of the curve; "
                + "compute x: how many times its x the frontier needs to reach its score):\n\n");
        sb.append("| model | family | x | score | frontier | residual | above band | compute x |\n|---|---|---|---|---|---|---|---|\n");
        for (FrontierResult.ModelResidual m : above) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s%s | %.1f | %.1f | %+.1f | %s | %s |%n", m.model(), m.group(), num(m.x()),
                    m.xDerived() ? " (6ND)" : "", m.score(), m.fitted(), m.residual(), m.aboveBand() ? "yes" : "no", multiplier(m.computeMultiplier())));
        }
        double base = Double.isNaN(r.chancePoints()) ? 0 : r.chancePoints();
        sb.append(String.format(Locale.ROOT, "%nBy score per unit of x, among the models above the band and at least %s points above %s "
                + "(near chance, any efficiency ratio only measures noise):%n%n", num(MIN_POINTS_ABOVE_CHANCE), Double.isNaN(r.chancePoints()) ? "0" : "chance"));
        sb.append("| model | family | x | score | points above chance per unit x | compute x |\n|---|---|---|---|---|---|\n");
        r.residuals().stream().filter(m -> m.aboveBand() && m.score() - base >= MIN_POINTS_ABOVE_CHANCE)
                .sorted(Comparator.comparingDouble(FrontierResult.ModelResidual::pointsPerX).reversed()).limit(top)
                .forEach(m -> sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %s | %s |%n", m.model(), m.group(), num(m.x()), m.score(),
                        num(m.pointsPerX()), multiplier(m.computeMultiplier()))));
        sb.append("\nFamilies with at least 2 models (mean residual in points, Student-t 95 % interval; single models are in the JSON):\n\n");
        sb.append("| family | n | mean residual (95 % CI) |\n|---|---|---|\n");
        for (FrontierResult.FamilyResidual f : r.families()) {
            if (f.n() < 2) continue;
            sb.append(String.format(Locale.ROOT, "| %s | %d | %+.1f [%+.1f, %+.1f] |%n", f.group(), f.n(), f.meanResidual(), f.lower(), f.upper()));
        }
        sb.append('\n');
    }

    static String kneeText(FrontierResult.Candidate c) {
        String interval = " [" + kneeBound(c.kneeInterval()[0]) + ", " + kneeBound(c.kneeInterval()[1]) + "]";
        return switch (c.kneeStatus()) {
            case NONE -> "none" + interval;
            case FLAT_THROUGHOUT -> "below the data" + interval;
            case WITHIN_DATA -> num(c.knee()) + interval;
            case EXTRAPOLATED -> num(c.knee()) + " (extrapolated)" + interval;
        };
    }

    static String statusText(Knee.Status s) {
        return switch (s) {
            case NONE -> "no knee (slope ≥ ε for 10 decades past the data)";
            case FLAT_THROUGHOUT -> "flat throughout the data";
            case WITHIN_DATA -> "within the data";
            case EXTRAPOLATED -> "no knee within the data (extrapolated)";
        };
    }

    private static String kneeBound(double x) {
        if (x == 0) return "below data";
        if (Double.isInfinite(x)) return "none";
        return num(x);
    }

    private static String multiplier(double m) {
        if (Double.isNaN(m)) return "n/a";
        if (Double.isInfinite(m)) return "beyond the curve";
        return String.format(Locale.ROOT, "%.3gx", m);
    }

    private static String withInterval(double v, double[] ci) {
        return num(v) + " [" + num(ci[0]) + ", " + num(ci[1]) + "]";
    }

    static String num(double v) {
        if (Double.isNaN(v)) return "n/a";
        if (Double.isInfinite(v)) return v > 0 ? "∞" : "-∞";
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e5 || a < 1e-2)) return String.format(Locale.ROOT, "%.3g", v);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.3g", v);
    }
}
