package dev.strata.frontier;

/**
 * Settings of one frontier analysis. epsilon and the loss scale are in points (1/100 of the
 * score's full scale); holdoutFraction is the share of models, largest x first, kept out of the
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
        if (!(lossScalePoints > 0)) throw new IllegalArgumentException("--loss-scale must be positive");
    }

    /** Every resample keeps its curve on the band grid and at each model: 20,000 x 3 curves stay near 100 MB. */
    public static final int MAX_RESAMPLES = 20_000;

    public static FrontierOptions defaults() {
        return new FrontierOptions(1, 0.25, 2000, 1, RobustLoss.HUBER, 2);
    }

    public FrontierOptions withResamples(int n) {
        return new FrontierOptions(epsilonPoints, holdoutFraction, n, seed, loss, lossScalePoints);
    }
}
