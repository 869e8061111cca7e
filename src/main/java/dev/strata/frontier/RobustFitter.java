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

    private final RobustLoss loss;
    private final double scale;
    private final LevenbergMarquardt solver = new LevenbergMarquardt();

    /** @param scale the residual size, in score units, where the loss stops being quadratic */
    public RobustFitter(RobustLoss loss, double scale) {
        if (!(scale > 0)) throw new IllegalArgumentException("loss scale must be positive");
        this.loss = loss;
        this.scale = scale;
    }

    /** The best fit over the model's starting points. */
    public Fit fit(CurveModel model, FitData data) {
        Fit best = null;
        for (double[] start : model.starts(data)) {
            Fit f = fitFrom(model, data, start);
            if (best == null || f.robustCost() < best.robustCost()) best = f;
        }
        return best;
    }

    public Fit fitFrom(CurveModel model, FitData data, double[] start) {
        double[] lower = model.lower(data), upper = model.upper(data);
        double[] w = new double[data.size()];
        java.util.Arrays.fill(w, 1);
        double[] p = start.clone(), r = new double[data.size()];
        LeastSquaresProblem problem = problem(model, data);
        boolean converged = true;
        for (int round = 0; round < 100; round++) {
            LevenbergMarquardt.Result res = solver.minimize(problem, p, w, lower, upper);
            converged &= res.converged();
            double change = maxRelativeChange(p, res.parameters());
            p = res.parameters();
            if (loss == RobustLoss.LINEAR) break;
            problem.residuals(p, r);
            for (int i = 0; i < r.length; i++) w[i] = loss.weight(r[i], scale);
            if (round > 0 && change < 1e-10) break;
        }
        problem.residuals(p, r);
        double cost = 0;
        for (double ri : r) cost += loss.cost(ri, scale);
        return new Fit(model, p, Double.isNaN(cost) ? Double.POSITIVE_INFINITY : cost, converged);
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
