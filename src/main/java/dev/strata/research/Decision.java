package dev.strata.research;

import dev.strata.eval.stats.PairedBootstrap;

/**
 * One row of {@code results.tsv}: what happened to a variant at a stage and the numbers behind it.
 * {@code stage} is {@code baseline}, {@code search-rN} (eliminated in halving round N),
 * {@code heldout} (a finalist's sealed test) or {@code crash}. Accuracies, Δ and its paired
 * bootstrap 95% interval are on the stage's n items, paired with the baseline; {@code p} is the
 * exact two-sided McNemar p-value and {@code pAdjusted} its Holm or Benjamini–Hochberg adjustment
 * over all finalists (NaN where no test was made).
 */
public record Decision(String variant, String stage, String status, int n, double accuracy, double baselineAccuracy,
        PairedBootstrap.Interval delta, double p, double pAdjusted, double multiplyAddsPerToken, double memoryMb, String description) {
    public static final String KEEP = "keep";
    public static final String DISCARD = "discard";
    public static final String CRASH = "crash";

    public String key() {
        return stage + " " + variant;
    }

    public boolean kept() {
        return status.equals(KEEP) && stage.equals(Stages.HELD_OUT);
    }

    /** Stage names. */
    public static final class Stages {
        public static final String BASELINE = "baseline";
        public static final String HELD_OUT = "heldout";
        public static final String CRASH = "crash";

        private Stages() {}

        public static String search(int round) {
            return "search-r" + round;
        }
    }
}
