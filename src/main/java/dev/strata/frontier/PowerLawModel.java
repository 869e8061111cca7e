package dev.strata.frontier;

import java.util.ArrayList;
import java.util.List;

/**
 * A power law in the gap to a ceiling: y = c - A x^(-alpha), written as c - 10^(q - alpha u) with
 * q = log10 A so the fit is well conditioned over many decades of x. It is the Chinchilla form
 * (irreducible term plus a power law) applied to the error, and it saturates without an
 * inflection, unlike the sigmoid.
 */
public final class PowerLawModel implements CurveModel {
    private static final double LN10 = Math.log(10);

    @Override
    public String name() {
        return "power law";
    }

    @Override
    public List<String> parameterNames() {
        return List.of("ceiling c", "log10 A", "exponent alpha");
    }

    @Override
    public double value(double[] p, double u) {
        return p[0] - Math.exp(LN10 * (p[1] - p[2] * u));
    }

    @Override
    public void gradient(double[] p, double u, double[] out) {
        double t = Math.exp(LN10 * (p[1] - p[2] * u));
        out[0] = 1;
        out[1] = -t * LN10;
        out[2] = t * LN10 * u;
    }

    @Override
    public double asymptote(double[] p) {
        return p[0];
    }

    @Override
    public double[] lower(FitData d) {
        return new double[] {0, -50, 0};
    }

    @Override
    public double[] upper(FitData d) {
        return new double[] {d.fullScale(), 50, 5};
    }

    @Override
    public List<double[]> starts(FitData d) {
        List<double[]> out = new ArrayList<>();
        double full = d.fullScale();
        for (double c : new double[] {Math.min(d.maxY() + 0.02 * full, full), Math.min(d.maxY() + 0.2 * full, full), full}) {
            for (double alpha : new double[] {0.1, 0.3, 1}) {
                double gap = Math.max(c - d.meanY(), 1e-6 * full);
                out.add(new double[] {c, Math.log10(gap) + alpha * d.meanU(), alpha});
            }
        }
        return out;
    }
}
