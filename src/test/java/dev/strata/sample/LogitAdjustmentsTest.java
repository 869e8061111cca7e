package dev.strata.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** logit_bias and OpenAI's presence/frequency penalties on exact values. */
class LogitAdjustmentsTest {
    @Test
    void biasAndPenaltiesFollowOpenAisFormula() {
        LogitAdjustments a = new LogitAdjustments(Map.of(0, 2.5f, 1, -100f, 3, 100f), 0.5f, 0.25f);
        a.accept(2);
        a.accept(2);
        a.accept(0);
        float[] logits = {1f, 1f, 1f, 1f, 1f};
        a.apply(logits, 5);
        // token 0: 1 + 2.5 - (0.5 + 0.25 * 1); token 2: 1 - (0.5 + 0.25 * 2); 1 banned; 3 forced
        assertArrayEquals(new float[] {2.75f, Float.NEGATIVE_INFINITY, 0f, Float.MAX_VALUE, 1f}, logits);
    }
}
