package dev.strata.frontier;

import java.util.List;

/**
 * One benchmark's frontier: the three candidate fits with held-out errors and bootstrap intervals,
 * the chosen fit's band, and the residuals per model and per family. Scores, errors and residuals
 * are in points (1/100 of the full scale); x, the knee and the cutoff are in the units of x.
 */
public record FrontierResult(String benchmark, String xLabel, int n, int missingX, int missingY, int excluded, long derivedX,
                             double chancePoints, double cutoffX, int trainN, int testN, String chosen,
                             List<Candidate> candidates, Band band, List<ModelResidual> residuals,
                             List<FamilyResidual> families, double epsilonPoints, int resamples, long seed, String loss) {

    /**
     * A fitted model. Knees and their interval are x values (infinite where the slope never
     * falls below epsilon within 10 decades beyond the data, or is below it everywhere);
     * kneeWithinDataShare is the share of resamples whose knee lies at or below the largest x;
     * slopeAtMaxX is the gain in points per further 10x at the largest observed x.
     */
    public record Candidate(String model, List<String> parameterNames, double[] parameters, double[][] parameterIntervals,
                            double heldOutRmse, double heldOutMae, double inSampleRmse, boolean converged,
                            double asymptote, double[] asymptoteInterval,
                            double knee, double[] kneeInterval, Knee.Status kneeStatus, double kneeWithinDataShare,
                            double slopeAtMaxX, double[] slopeAtMaxXInterval) {}

    /** The chosen curve and its pointwise 95 % bootstrap band, in points, at x values. */
    public record Band(double[] x, double[] fit, double[] lower, double[] upper) {}

    /**
     * A model against the chosen frontier: its residual, whether it lies above the band's upper
     * edge, the factor of compute the frontier needs to reach its score (infinite beyond the
     * curve's reach), and points above chance per unit of x.
     */
    public record ModelResidual(String model, String group, double x, boolean xDerived, double score, double fitted,
                                double residual, boolean aboveBand, double computeMultiplier, double pointsPerX) {}

    /** A family's mean residual in points with a Student-t 95 % interval (NaN for one model). */
    public record FamilyResidual(String group, int n, double meanResidual, double lower, double upper) {}

    public Candidate chosenCandidate() {
        return candidates.stream().filter(c -> c.model().equals(chosen)).findFirst().orElseThrow();
    }
}
