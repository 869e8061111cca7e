package dev.strata.frontier;

import java.util.ArrayList;
import java.util.List;

/**
 * y = f + (c - f) * sigmoid(a (u - b)), u = log10 x: ObsScaling's capability curve. The floor f is
 * fixed to the benchmark's chance level when it has one (parameters a, b, c), otherwise fitted
 * (a, b, c, f). The slope a is kept non-negative and the midpoint b within 3 decades of the data,
 * so a fit cannot hide the whole sigmoid outside the observed range.
 */
public final class SigmoidModel implements CurveModel {
    private final double fixedFloor;

    /** @param fixedFloor the chance level, or NaN to fit the floor */
    public SigmoidModel(double fixedFloor) {
        this.fixedFloor = fixedFloor;
    }

    public boolean floorFixed() {
        return !Double.isNaN(fixedFloor);
    }

    @Override
    public String name() {
        return "sigmoid";
    }

    @Override
    public List<String> parameterNames() {
        return floorFixed() ? List.of("slope a", "midpoint b", "ceiling c") : List.of("slope a", "midpoint b", "ceiling c", "floor f");
    }

    public double floor(double[] p) {
        return floorFixed() ? fixedFloor : p[3];
    }

    @Override
    public double value(double[] p, double u) {
        double f = floor(p);
        return f + (p[2] - f) * sigmoid(p[0] * (u - p[1]));
    }

    @Override
    public void gradient(double[] p, double u, double[] out) {
        double f = floor(p), s = sigmoid(p[0] * (u - p[1])), ds = s * (1 - s), span = p[2] - f;
        out[0] = span * ds * (u - p[1]);
        out[1] = -span * ds * p[0];
        out[2] = s;
        if (!floorFixed()) out[3] = 1 - s;
    }

    @Override
    public double asymptote(double[] p) {
        return p[2];
    }

    @Override
    public double[] lower(FitData d) {
        double cLow = floorFixed() ? fixedFloor : 0;
        return floorFixed() ? new double[] {0, d.minU() - 3, cLow} : new double[] {0, d.minU() - 3, cLow, 0};
    }

    @Override
    public double[] upper(FitData d) {
        return floorFixed() ? new double[] {20, d.maxU() + 3, d.fullScale()} : new double[] {20, d.maxU() + 3, d.fullScale(), d.fullScale()};
    }

    @Override
    public List<double[]> starts(FitData d) {
        double[] sorted = d.u().clone();
        java.util.Arrays.sort(sorted);
        double[] mids = {Stats.quantile(sorted, 0.25), Stats.quantile(sorted, 0.5), Stats.quantile(sorted, 0.75), d.maxU() + 1};
        double c = Math.min(d.maxY() + 0.02 * d.fullScale(), d.fullScale());
        List<double[]> out = new ArrayList<>();
        for (double a : new double[] {0.5, 1.5, 4}) {
            for (double b : mids) {
                out.add(floorFixed() ? new double[] {a, b, Math.max(c, fixedFloor)} : new double[] {a, b, c, d.minY()});
            }
        }
        return out;
    }

    static double sigmoid(double z) {
        if (z >= 0) return 1 / (1 + Math.exp(-z));
        double e = Math.exp(z);
        return e / (1 + e);
    }
}
