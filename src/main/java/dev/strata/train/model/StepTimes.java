package dev.strata.train.model;

import java.util.EnumMap;
import java.util.Map;

/**
 * Wall nanoseconds one worker spent in each matrix-product-heavy part of forward and backward, so
 * that a throughput run can say where a step's time goes and at what GFLOP/s each part runs.
 */
public final class StepTimes {
    public enum Part { LINEAR_FORWARD, LINEAR_BACKWARD, ATTENTION_FORWARD, ATTENTION_BACKWARD }

    private final long[] nanos = new long[Part.values().length];

    /** Charges the time since {@code startNanos} (a {@link System#nanoTime()} reading) to part. */
    void charge(Part part, long startNanos) {
        nanos[part.ordinal()] += System.nanoTime() - startNanos;
    }

    public void reset() {
        java.util.Arrays.fill(nanos, 0);
    }

    /** Seconds per part, summed over the given workers' times. */
    public static Map<Part, Double> seconds(Iterable<StepTimes> workers) {
        Map<Part, Double> total = new EnumMap<>(Part.class);
        for (Part p : Part.values()) total.put(p, 0.0);
        for (StepTimes t : workers)
            for (Part p : Part.values()) total.merge(p, t.nanos[p.ordinal()] / 1e9, Double::sum);
        return total;
    }
}
