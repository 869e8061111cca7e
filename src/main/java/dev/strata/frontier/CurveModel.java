package dev.strata.frontier;

import java.util.List;

/**
 * A score-versus-compute curve y(u) in u = log10 x, with an analytic gradient in its parameters,
 * the box its parameters live in, and starting points for a fit to given data.
 */
public interface CurveModel {
    String name();

    List<String> parameterNames();

    double value(double[] p, double u);

    void gradient(double[] p, double u, double[] out);

    /** The limit of y as x grows without bound (infinite for an unbounded curve). */
    double asymptote(double[] p);

    double[] lower(FitData data);

    double[] upper(FitData data);

    /** Several starting points; the fitter keeps the best local minimum. */
    List<double[]> starts(FitData data);
}
