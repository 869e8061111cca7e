package dev.strata.testoracle;

import java.util.ArrayList;
import java.util.List;

/**
 * Compares logits given for every position of a trace's teacher-forced input (from any engine) with
 * the trace: per step the largest |difference| over the trace's top-k tokens, and the greedy choice,
 * which may differ only at a near tie (the trace's top-1/top-2 gap within the tolerance).
 */
public final class TraceComparison {
    public final List<String> logitFailures = new ArrayList<>();
    public final List<String> greedyFailures = new ArrayList<>();
    public float maxDiff;
    public int steps, nearTies, greedyEqual;

    /** {@code logits[position][vocab]} for the positions of {@link DecodeTrace#teacherForcedInput()}. */
    public void add(String id, DecodeTrace t, float[][] logits, float tolerance) {
        int p = t.promptIds().length;
        for (int s = 0; s < t.generatedIds().length; s++) {
            float[] row = logits[p - 1 + s];
            float stepMax = 0;
            for (int i = 0; i < t.topIds()[s].length; i++) stepMax = Math.max(stepMax, Math.abs(row[t.topIds()[s][i]] - t.topLogits()[s][i]));
            maxDiff = Math.max(maxDiff, stepMax);
            steps++;
            if (stepMax > tolerance) logitFailures.add(String.format("%s step %d: max |logit diff| %.4f > %.3f", id, s, stepMax, tolerance));
            int argmax = DecodeTrace.topK(row, 1)[0];
            boolean nearTie = t.gap(s) <= tolerance;
            if (nearTie) nearTies++;
            if (argmax == t.generatedIds()[s]) greedyEqual++;
            else if (!nearTie) greedyFailures.add(String.format("%s step %d: greedy %d, oracle %d (gap %.3f)", id, s, argmax, t.generatedIds()[s], t.gap(s)));
        }
    }

    public String summary() {
        return String.format("%d steps, max top-5 |diff| %.5f, greedy equal %d/%d, oracle near ties %d", steps, maxDiff, greedyEqual, steps, nearTies);
    }
}
