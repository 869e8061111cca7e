package dev.strata.frontier;

/**
 * Settings of one frontier analysis. epsilon and the loss scale are in points (1/100 of the
 * score's full scale; a NaN loss scale means 1.345 robust sigma, see RobustFitter); holdoutFraction is the share of models, largest x first, kept out of the
 * selection fit, as ObsScaling's compute cutoff does.
 */
public record FrontierOptions(double epsilonPoints, double holdoutFraction, int resamples, long seed, RobustLoss loss,
                              double lossScalePoints) {

    public FrontierOptions {
        if (!(epsilonPoints > 0)) throw new IllegalArgumentException("--epsilon must be positive");
        if (!(holdoutFraction > 0 && holdoutFraction < 1)) throw new IllegalArgumentException("--holdout must be in (0, 1)");
        if (resamples < 10 || resamples > MAX_RESAMPLES) {
            throw new IllegalArgumentException("--bootstrap must be between 10 and " + MAX_RESAMPLES);
        }
        if (!(lossScalePoints > 0) && !Double.isNaN(lossScalePoints)) throw new IllegalArgumentException("--loss-scale must be positive or auto");
    }

    /** Every resample keeps its curve on the band grid and at each model: 20,000 x 3 curves stay near 100 MB. */
    public static final int MAX_RESAMPLES = 20_000;
}
