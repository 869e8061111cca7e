package dev.strata.train.model;

import java.util.Arrays;

/**
 * Wall nanoseconds one worker spent in each matrix-product-heavy part of forward and backward, so
 * that a throughput run can say where a step's time goes and at what GFLOP/s each part runs. MoE
 * expert products are not charged: they count with the rest of the step.
 */
public final class StepTimes {
    public enum Part { LINEAR_FORWARD, LINEAR_BACKWARD, ATTENTION_FORWARD, ATTENTION_BACKWARD }

    /** Seconds per part, summed over workers. */
    public record Seconds(double linearForward, double linearBackward, double attentionForward, double attentionBackward) {
        public double linear() {
            return linearForward + linearBackward;
        }

        public double attention() {
            return attentionForward + attentionBackward;
        }
    }

    private final long[] nanos = new long[Part.values().length];

    /** Charges the time since {@code startNanos} (a {@link System#nanoTime()} reading) to part. */
    void charge(Part part, long startNanos) {
        nanos[part.ordinal()] += System.nanoTime() - startNanos;
    }

    public void reset() {
        Arrays.fill(nanos, 0);
    }

    /** The given workers' times, summed per part. */
    public static Seconds sum(Iterable<StepTimes> workers) {
        long[] total = new long[Part.values().length];
        for (StepTimes t : workers)
            for (int p = 0; p < total.length; p++) total[p] += t.nanos[p];
        return new Seconds(total[0] / 1e9, total[1] / 1e9, total[2] / 1e9, total[3] / 1e9);
    }
}
