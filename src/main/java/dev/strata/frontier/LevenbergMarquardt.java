package dev.strata.frontier;

import java.util.Arrays;

/**
 * Levenberg–Marquardt for weighted least squares with box bounds. Marquardt's scaling (damping by
 * the diagonal of J'WJ) keeps the step invariant to the parameters' units; the damping follows
 * Nielsen's update (gain-ratio based), which avoids the slow zig-zag of the plain x10 / /10 rule.
 * Trial points are projected onto the bounds, and the gain ratio uses the projected step.
 */
public final class LevenbergMarquardt {

    /** The minimiser, the weighted cost sum w r^2 there, and how it stopped. */
    public record Result(double[] parameters, double cost, int iterations, boolean converged) {}

    private final int maxIterations;
    private final double relativeTolerance;

    public LevenbergMarquardt() {
        this(500, 1e-12);
    }

    public LevenbergMarquardt(int maxIterations, double relativeTolerance) {
        this.maxIterations = maxIterations;
        this.relativeTolerance = relativeTolerance;
    }

    public Result minimize(LeastSquaresProblem problem, double[] start, double[] weights, double[] lower, double[] upper) {
        int m = problem.parameterCount(), n = problem.residualCount();
        double[] p = clamp(start.clone(), lower, upper);
        double[] r = new double[n], rTrial = new double[n];
        double[][] jac = new double[n][m];
        problem.residuals(p, r);
        double cost = cost(r, weights);
        double lambda = -1, nu = 2;
        double[][] a = new double[m][m];
        double[] g = new double[m], step = new double[m], trial = new double[m];
        for (int it = 1; it <= maxIterations; it++) {
            problem.jacobian(p, jac);
            normalEquations(jac, r, weights, a, g);
            holdActiveBounds(p, lower, upper, a, g);
            if (lambda < 0) lambda = 1e-3 * maxDiagonal(a);
            if (cost == 0 || gradientOrthogonal(a, g, cost)) return new Result(p, cost, it, true);
            boolean accepted = false;
            while (!accepted) {
                if (!solveDamped(a, g, lambda, step)) {
                    lambda = Math.max(lambda * nu, 1e-300);
                    nu *= 2;
                    if (nu > 1e30) return new Result(p, cost, it, false);
                    continue;
                }
                for (int j = 0; j < m; j++) trial[j] = p[j] + step[j];
                clamp(trial, lower, upper);
                for (int j = 0; j < m; j++) step[j] = trial[j] - p[j];
                problem.residuals(trial, rTrial);
                double trialCost = cost(rTrial, weights);
                double predicted = predictedReduction(a, g, step);
                double actual = cost - trialCost;
                if (Double.isFinite(trialCost) && actual > 0 && predicted > 0) {
                    double rho = actual / predicted;
                    lambda *= Math.max(1.0 / 3, 1 - Math.pow(2 * rho - 1, 3));
                    nu = 2;
                    boolean smallStep = norm(step) <= relativeTolerance * (norm(p) + relativeTolerance);
                    boolean smallGain = actual <= relativeTolerance * cost;
                    System.arraycopy(trial, 0, p, 0, m);
                    System.arraycopy(rTrial, 0, r, 0, n);
                    cost = trialCost;
                    if (smallStep || smallGain) return new Result(p, cost, it, true);
                    accepted = true;
                } else {
                    if (norm(step) <= relativeTolerance * (norm(p) + relativeTolerance)) return new Result(p, cost, it, true);
                    lambda *= nu;
                    nu *= 2;
                    if (nu > 1e30) return new Result(p, cost, it, true);
                }
            }
        }
        return new Result(p, cost, maxIterations, false);
    }

    /**
     * A parameter at a bound whose descent direction points outside is held there for this step:
     * its row and column leave the system, so the other parameters get the step that is optimal
     * given that it cannot move (a clipped full step would be a poor step for them).
     */
    private static void holdActiveBounds(double[] p, double[] lower, double[] upper, double[][] a, double[] g) {
        for (int j = 0; j < p.length; j++) {
            boolean atLower = lower != null && p[j] <= lower[j] && g[j] > 0;
            boolean atUpper = upper != null && p[j] >= upper[j] && g[j] < 0;
            if (!atLower && !atUpper) continue;
            for (int k = 0; k < p.length; k++) {
                a[j][k] = 0;
                a[k][j] = 0;
            }
            a[j][j] = 1;
            g[j] = 0;
        }
    }

    static double cost(double[] r, double[] w) {
        double s = 0;
        for (int i = 0; i < r.length; i++) s += (w == null ? 1 : w[i]) * r[i] * r[i];
        return Double.isNaN(s) ? Double.POSITIVE_INFINITY : s;
    }

    private static void normalEquations(double[][] jac, double[] r, double[] w, double[][] a, double[] g) {
        int m = g.length;
        for (double[] row : a) Arrays.fill(row, 0);
        Arrays.fill(g, 0);
        for (int i = 0; i < r.length; i++) {
            double wi = w == null ? 1 : w[i];
            if (wi == 0) continue;
            double[] ji = jac[i];
            for (int j = 0; j < m; j++) {
                g[j] += wi * ji[j] * r[i];
                for (int k = 0; k <= j; k++) a[j][k] += wi * ji[j] * ji[k];
            }
        }
        for (int j = 0; j < m; j++) for (int k = 0; k < j; k++) a[k][j] = a[j][k];
    }

    /** Solves (A + lambda diag(A)) step = -g by Cholesky; false when the damped matrix is not positive definite. */
    private static boolean solveDamped(double[][] a, double[] g, double lambda, double[] step) {
        int m = g.length;
        double[][] l = new double[m][m];
        for (int j = 0; j < m; j++) {
            for (int k = 0; k <= j; k++) {
                double s = a[j][k];
                if (j == k) s += lambda * Math.max(a[j][j], 1e-12 * Math.max(1, maxDiagonal(a)));
                for (int q = 0; q < k; q++) s -= l[j][q] * l[k][q];
                if (j == k) {
                    if (!(s > 0)) return false;
                    l[j][j] = Math.sqrt(s);
                } else {
                    l[j][k] = s / l[k][k];
                }
            }
        }
        double[] y = new double[m];
        for (int j = 0; j < m; j++) {
            double s = -g[j];
            for (int q = 0; q < j; q++) s -= l[j][q] * y[q];
            y[j] = s / l[j][j];
        }
        for (int j = m - 1; j >= 0; j--) {
            double s = y[j];
            for (int q = j + 1; q < m; q++) s -= l[q][j] * step[q];
            step[j] = s / l[j][j];
        }
        for (double v : step) if (!Double.isFinite(v)) return false;
        return true;
    }

    /** Reduction of sum w r^2 predicted by the linear model: -(2 g'd + d'Ad). */
    private static double predictedReduction(double[][] a, double[] g, double[] d) {
        double s = 0;
        for (int j = 0; j < d.length; j++) {
            s += 2 * g[j] * d[j];
            for (int k = 0; k < d.length; k++) s += d[j] * a[j][k] * d[k];
        }
        return -s;
    }

    private static double[] clamp(double[] p, double[] lower, double[] upper) {
        for (int j = 0; j < p.length; j++) {
            if (lower != null) p[j] = Math.max(p[j], lower[j]);
            if (upper != null) p[j] = Math.min(p[j], upper[j]);
        }
        return p;
    }

    private static double maxDiagonal(double[][] a) {
        double d = 0;
        for (int j = 0; j < a.length; j++) d = Math.max(d, a[j][j]);
        return d;
    }

    /** MINPACK's gtol test: the residual vector is orthogonal to every Jacobian column to within 1e-12. */
    private static boolean gradientOrthogonal(double[][] a, double[] g, double cost) {
        for (int j = 0; j < g.length; j++) {
            if (Math.abs(g[j]) > 1e-12 * Math.sqrt(a[j][j] * cost)) return false;
        }
        return true;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return Math.sqrt(s);
    }
}
