package dev.strata.frontier;

/**
 * A nonlinear least-squares problem: residuals r(p) and their Jacobian J[i][j] = dr_i/dp_j.
 * The solver minimises the weighted sum of squares, sum w_i r_i^2.
 */
public interface LeastSquaresProblem {
    int parameterCount();

    int residualCount();

    void residuals(double[] p, double[] out);

    void jacobian(double[] p, double[][] out);
}
