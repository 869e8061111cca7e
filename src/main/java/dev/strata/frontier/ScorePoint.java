package dev.strata.frontier;

/** One model on one benchmark: x (e.g. training FLOPs), score y, and whether x was derived as 6ND. */
public record ScorePoint(String model, String group, double x, double y, boolean xDerived) {
    public double u() {
        return Math.log10(x);
    }
}
