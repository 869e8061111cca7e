package dev.strata.sample;

import java.util.HashMap;
import java.util.Map;

/**
 * OpenAI's logit_bias, presence_penalty and frequency_penalty: a bias is added to a token's logit; each
 * token already generated loses {@code presence} once and {@code frequency} per occurrence (OpenAI counts
 * the completion so far, not the prompt). A bias of -100 or less bans the token, +100 or more forces it.
 */
public final class LogitAdjustments implements LogitProcessor {
    private final Map<Integer, Float> bias;
    private final float presence;
    private final float frequency;
    private final Map<Integer, Integer> counts = new HashMap<>();

    public LogitAdjustments(Map<Integer, Float> bias, float presence, float frequency) {
        this.bias = Map.copyOf(bias);
        this.presence = presence;
        this.frequency = frequency;
    }

    /** Null when nothing would change the logits. */
    public static LogitAdjustments of(Map<Integer, Float> bias, float presence, float frequency) {
        return bias.isEmpty() && presence == 0 && frequency == 0 ? null : new LogitAdjustments(bias, presence, frequency);
    }

    @Override
    public void apply(float[] logits, int vocabSize) {
        for (Map.Entry<Integer, Float> e : bias.entrySet()) {
            int id = e.getKey();
            if (id < 0 || id >= vocabSize) continue;
            float b = e.getValue();
            logits[id] = b <= -100 ? Float.NEGATIVE_INFINITY : b >= 100 ? Float.MAX_VALUE : logits[id] + b;
        }
        if (presence == 0 && frequency == 0) return;
        for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
            int id = e.getKey();
            if (id < vocabSize && logits[id] != Float.NEGATIVE_INFINITY) logits[id] -= presence + frequency * e.getValue();
        }
    }

    @Override
    public void accept(int token) {
        counts.merge(token, 1, Integer::sum);
    }
}
