package dev.strata.frontier;

/**
 * The loss on scaled residuals z = r / scale, as in scipy's least_squares: rho(z^2) with
 * rho(s) = s (linear), Huber, or soft-L1 = 2(sqrt(1 + s) - 1). IRLS needs the weight
 * w(z) = rho'(z^2), which makes sum w r^2 stationary where sum rho is.
 */
public enum RobustLoss {
    LINEAR, HUBER, SOFT_L1;

    /** The IRLS weight of a residual with the given scale. */
    public double weight(double residual, double scale) {
        double z = Math.abs(residual / scale);
        return switch (this) {
            case LINEAR -> 1;
            case HUBER -> z <= 1 ? 1 : 1 / z;
            case SOFT_L1 -> 1 / Math.sqrt(1 + z * z);
        };
    }

    /** scale^2 * rho((r/scale)^2): the robust cost of one residual, in squared y units. */
    public double cost(double residual, double scale) {
        double z = Math.abs(residual / scale), s = z * z;
        double rho = switch (this) {
            case LINEAR -> s;
            case HUBER -> z <= 1 ? s : 2 * z - 1;
            case SOFT_L1 -> 2 * (Math.sqrt(1 + s) - 1);
        };
        return scale * scale * rho;
    }

    public static RobustLoss parse(String name) {
        return switch (name.toLowerCase().replace('_', '-')) {
            case "linear", "l2" -> LINEAR;
            case "huber" -> HUBER;
            case "soft-l1" -> SOFT_L1;
            default -> throw new dev.strata.StrataException("unknown loss '" + name + "' (linear, huber, soft-l1)");
        };
    }
}
