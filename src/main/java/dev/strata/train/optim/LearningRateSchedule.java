package dev.strata.train.optim;

/**
 * Linear warmup to the peak, then cosine decay to {@code minFraction} of it. Progress is a
 * fraction in [0, 1] of the run (of its steps, or of its wall-clock budget).
 */
public record LearningRateSchedule(float peak, float warmupFraction, float minFraction) {
    public float at(double progress) {
        double p = Math.min(1, Math.max(0, progress));
        if (warmupFraction > 0 && p < warmupFraction) return (float) (peak * (p / warmupFraction));
        double decay = warmupFraction >= 1 ? 1 : (p - warmupFraction) / (1 - warmupFraction);
        double cosine = 0.5 * (1 + Math.cos(Math.PI * decay));
        return (float) (peak * (minFraction + (1 - minFraction) * cosine));
    }
}
