package dev.strata.frontier;

import static org.junit.jupiter.api.Assertions.*;

import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** The solver against problems with published solutions, and the fitter recovering exact synthetic curves. */
class LevenbergMarquardtTest {

    static LeastSquaresProblem problem(int m, int n, BiConsumer<double[], double[]> res, BiConsumer<double[], double[][]> jac) {
        return new LeastSquaresProblem() {
            public int parameterCount() { return m; }
            public int residualCount() { return n; }
            public void residuals(double[] p, double[] out) { res.accept(p, out); }
            public void jacobian(double[] p, double[][] out) { jac.accept(p, out); }
        };
    }

    /** Rosenbrock as least squares (Moré, Garbow and Hillstrom 1981, problem 1): minimum 0 at (1, 1) from (-1.2, 1). */
    @Test
    void rosenbrockFromTheStandardStart() {
        LeastSquaresProblem p = problem(2, 2,
                (x, r) -> { r[0] = 10 * (x[1] - x[0] * x[0]); r[1] = 1 - x[0]; },
                (x, j) -> { j[0][0] = -20 * x[0]; j[0][1] = 10; j[1][0] = -1; j[1][1] = 0; });
        LevenbergMarquardt.Result r = new LevenbergMarquardt().minimize(p, new double[] {-1.2, 1}, null, null, null);
        assertTrue(r.converged());
        assertEquals(1, r.parameters()[0], 1e-9);
        assertEquals(1, r.parameters()[1], 1e-9);
        assertEquals(0, r.cost(), 1e-20);
    }

    /**
     * NIST StRD Misra1a (lower difficulty): y = b1 (1 - exp(-b2 x)), from NIST's start 1 (500, 1e-4).
     * Certified values: b1 = 2.3894212918E+02, b2 = 5.5015643181E-04, residual sum of squares 1.2455138894E-01.
     */
    @Test
    void nistMisra1aCertifiedValues() {
        double[] y = {10.07, 14.73, 17.94, 23.93, 29.61, 35.18, 40.02, 44.82, 50.76, 55.05, 61.01, 66.40, 75.47, 81.78};
        double[] x = {77.6, 114.9, 141.1, 190.8, 239.9, 289.0, 332.8, 378.4, 434.8, 477.3, 536.8, 593.1, 689.1, 760.0};
        LeastSquaresProblem p = problem(2, x.length,
                (b, r) -> { for (int i = 0; i < x.length; i++) r[i] = b[0] * (1 - Math.exp(-b[1] * x[i])) - y[i]; },
                (b, j) -> {
                    for (int i = 0; i < x.length; i++) {
                        j[i][0] = 1 - Math.exp(-b[1] * x[i]);
                        j[i][1] = b[0] * x[i] * Math.exp(-b[1] * x[i]);
                    }
                });
        LevenbergMarquardt.Result r = new LevenbergMarquardt().minimize(p, new double[] {500, 1e-4}, null, null, null);
        assertEquals(2.3894212918E+02, r.parameters()[0], 2.3894212918E+02 * 1e-8);
        assertEquals(5.5015643181E-04, r.parameters()[1], 5.5015643181E-04 * 1e-8);
        assertEquals(1.2455138894E-01, r.cost(), 1.2455138894E-01 * 1e-8);
    }

    /** A bound that binds: minimise (x - 3)^2 with x <= 2 gives x = 2. */
    @Test
    void boundsAreRespected() {
        LeastSquaresProblem p = problem(1, 1, (x, r) -> r[0] = x[0] - 3, (x, j) -> j[0][0] = 1);
        LevenbergMarquardt.Result r = new LevenbergMarquardt().minimize(p, new double[] {0}, null, new double[] {-5}, new double[] {2});
        assertEquals(2, r.parameters()[0], 1e-12);
    }

    @Test
    void exactSigmoidIsRecovered() {
        double[] truth = {1.3, 1.7, 0.82};
        assertRecovers(new SigmoidModel(0.25), truth, 1);
    }

    @Test
    void exactSigmoidWithFreeFloorIsRecovered() {
        assertRecovers(new SigmoidModel(Double.NaN), new double[] {0.9, 2.1, 0.78, 0.31}, 1);
    }

    @Test
    void exactPowerLawIsRecovered() {
        assertRecovers(new PowerLawModel(), new double[] {0.88, -0.3, 0.35}, 1);
    }

    @Test
    void exactLineIsRecovered() {
        assertRecovers(new LogLinearModel(), new double[] {0.07, 0.31}, 1);
    }

    /** Noise-free data from the model itself: every loss must return the generating parameters to 1e-6. */
    private static void assertRecovers(CurveModel model, double[] truth, double fullScale) {
        int n = 40;
        double[] u = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = -2 + 6.0 * i / (n - 1);
            y[i] = model.value(truth, u[i]);
        }
        FitData data = new FitData(u, y, fullScale);
        for (RobustLoss loss : RobustLoss.values()) {
            RobustFitter.Fit fit = new RobustFitter(loss, 0.02).fit(model, data);
            for (int j = 0; j < truth.length; j++) {
                assertEquals(truth[j], fit.parameters()[j], 1e-6, model.name() + " " + loss + " parameter " + model.parameterNames().get(j));
            }
        }
    }
}
