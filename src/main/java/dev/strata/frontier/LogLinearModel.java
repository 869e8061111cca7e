package dev.strata.frontier;

import java.util.List;

/** y = k + m u, u = log10 x: the straight line that never saturates; m is the gain per decade. */
public final class LogLinearModel implements CurveModel {

    @Override
    public String name() {
        return "linear in log x";
    }

    @Override
    public List<String> parameterNames() {
        return List.of("slope per decade m", "intercept k");
    }

    @Override
    public double value(double[] p, double u) {
        return p[1] + p[0] * u;
    }

    @Override
    public void gradient(double[] p, double u, double[] out) {
        out[0] = u;
        out[1] = 1;
    }

    @Override
    public double asymptote(double[] p) {
        return p[0] > 0 ? Double.POSITIVE_INFINITY : p[0] < 0 ? Double.NEGATIVE_INFINITY : p[1];
    }

    @Override
    public double[] lower(FitData d) {
        return null;
    }

    @Override
    public double[] upper(FitData d) {
        return null;
    }

    /** Ordinary least squares as the one start; IRLS then moves it for the robust loss. */
    @Override
    public List<double[]> starts(FitData d) {
        double mu = d.meanU(), my = d.meanY(), sxy = 0, sxx = 0;
        for (int i = 0; i < d.size(); i++) {
            sxy += (d.u()[i] - mu) * (d.y()[i] - my);
            sxx += (d.u()[i] - mu) * (d.u()[i] - mu);
        }
        double m = sxx > 0 ? sxy / sxx : 0;
        return List.of(new double[] {m, my - m * mu});
    }
}
