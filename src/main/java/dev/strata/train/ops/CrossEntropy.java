package dev.strata.train.ops;

/**
 * Softmax cross-entropy over vocabulary rows, restricted to positions whose target is ≥ 0 (the
 * answer mask: prompt tokens carry target -1). The loss of each counted position is multiplied by
 * {@code weight}, typically 1 / (counted positions in the whole batch), so data-parallel workers'
 * gradients simply add up.
 */
public final class CrossEntropy {
    private CrossEntropy() {}

    /** Turns logits into probabilities in place and returns Σ weight · -log p[target]. */
    public static double forward(float[] logits, int[] targets, int tokens, int vocab, float weight) {
        double loss = 0;
        for (int t = 0; t < tokens; t++) {
            int row = t * vocab;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < vocab; i++) max = Math.max(max, logits[row + i]);
            double sum = 0;
            for (int i = 0; i < vocab; i++) {
                float e = (float) Math.exp(logits[row + i] - max);
                logits[row + i] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int i = 0; i < vocab; i++) logits[row + i] *= inv;
            if (targets[t] >= 0) loss -= weight * Math.log(Math.max(logits[row + targets[t]], 1e-30f));
        }
        return loss;
    }

    /** dlogits = weight · (p - onehot(target)) on counted rows, 0 elsewhere; overwrites. */
    public static void backward(float[] dlogits, float[] probs, int[] targets, int tokens, int vocab, float weight) {
        for (int t = 0; t < tokens; t++) {
            int row = t * vocab;
            if (targets[t] < 0) {
                java.util.Arrays.fill(dlogits, row, row + vocab, 0f);
                continue;
            }
            for (int i = 0; i < vocab; i++) dlogits[row + i] = weight * probs[row + i];
            dlogits[row + targets[t]] -= weight;
        }
    }
}
