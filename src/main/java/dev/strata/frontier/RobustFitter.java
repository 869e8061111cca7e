package dev.strata.frontier;

/**
 * Robust least squares by iteratively reweighted Levenberg–Marquardt: fit with weights, reweight
 * each point by the loss's rho'(z^2) at its residual, refit, until the parameters stop moving.
 * A fixed point minimises the robust cost sum scale^2 rho((r/scale)^2).
 */
public final class RobustFitter {

    /** A fitted curve: parameters, the robust cost at them, and whether every inner solve converged. */
    public record Fit(CurveModel model, double[] parameters, double robustCost, boolean converged) {
        public double predict(double u) {
            return model.value(parameters, u);
        }
    }

    /**
     * IRLS converges linearly, slowly when many points sit in the loss's linear part; a relative
     * parameter change of 1e-9 is far below any interval this fitter reports.
     */
    private static final double IRLS_TOLERANCE = 1e-9;

    private final RobustLoss loss;
    private final double fixedScale;
    private final LevenbergMarquardt solver = new LevenbergMarquardt();

    /**
     * @param scale the residual size, in score units, where the loss stops being quadratic; NaN
     *              for Huber's usual 1.345 sigma, sigma estimated as 1.4826 x the median absolute
     *              residual of the least-squares fit (95 % efficiency when errors are normal)
     */
    public RobustFitter(RobustLoss loss, double scale) {
        if (!(scale > 0) && !Double.isNaN(scale)) throw new IllegalArgumentException("loss scale must be positive");
        this.loss = loss;
        this.fixedScale = scale;
    }

    /** Least squares from every starting point, then IRLS from the best of them. */
    public Fit fit(CurveModel model, FitData data) {
        LevenbergMarquardt.Result best = null;
        for (double[] start : model.starts(data)) {
            LevenbergMarquardt.Result r = leastSquares(model, data, start);
            if (best == null || r.cost() < best.cost()) best = r;
        }
        return irls(model, data, best);
    }

    /** Least squares from one start (a warm start, in the bootstrap), then IRLS. */
    public Fit fitFrom(CurveModel model, FitData data, double[] start) {
        return irls(model, data, leastSquares(model, data, start));
    }

    private LevenbergMarquardt.Result leastSquares(CurveModel model, FitData data, double[] start) {
        return solver.minimize(problem(model, data), start, null, model.lower(data), model.upper(data));
    }

    private Fit irls(CurveModel model, FitData data, LevenbergMarquardt.Result ls) {
        double[] lower = model.lower(data), upper = model.upper(data);
        LeastSquaresProblem problem = problem(model, data);
        double[] p = ls.parameters(), r = new double[data.size()], w = new double[data.size()];
        boolean converged = ls.converged();
        problem.residuals(p, r);
        double scale = Double.isNaN(fixedScale) ? autoScale(r, data.fullScale()) : fixedScale;
        if (loss != RobustLoss.LINEAR) {
            for (int round = 0; round < 200; round++) {
                for (int i = 0; i < r.length; i++) w[i] = loss.weight(r[i], scale);
                LevenbergMarquardt.Result res = solver.minimize(problem, p, w, lower, upper);
                converged &= res.converged();
                double change = maxRelativeChange(p, res.parameters());
                p = res.parameters();
                problem.residuals(p, r);
                if (change < IRLS_TOLERANCE) break;
            }
        }
        double cost = 0;
        for (double ri : r) cost += loss.cost(ri, scale);
        return new Fit(model, p, Double.isNaN(cost) ? Double.POSITIVE_INFINITY : cost, converged);
    }

    static double autoScale(double[] residuals, double fullScale) {
        double[] abs = java.util.Arrays.stream(residuals).map(Math::abs).sorted().toArray();
        double sigma = 1.4826 * Stats.quantile(abs, 0.5);
        return Math.max(1.345 * sigma, 1e-9 * fullScale);
    }

    static LeastSquaresProblem problem(CurveModel model, FitData d) {
        int m = model.parameterNames().size();
        return new LeastSquaresProblem() {
            @Override
            public int parameterCount() {
                return m;
            }

            @Override
            public int residualCount() {
                return d.size();
            }

            @Override
            public void residuals(double[] p, double[] out) {
                for (int i = 0; i < out.length; i++) out[i] = model.value(p, d.u()[i]) - d.y()[i];
            }

            @Override
            public void jacobian(double[] p, double[][] out) {
                for (int i = 0; i < out.length; i++) model.gradient(p, d.u()[i], out[i]);
            }
        };
    }

    private static double maxRelativeChange(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s = Math.max(s, Math.abs(a[i] - b[i]) / (1 + Math.abs(a[i])));
        return s;
    }
}
