package dev.strata.testoracle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An oracle's greedy decoding of one prompt, in the shape of the shared oracle files: the whole prompt
 * in one batch, then one generated token per step; the top-k (id, logit) after every step.
 */
public record DecodeTrace(int[] promptIds, int[] generatedIds, int[][] topIds, float[][] topLogits) {

    /** One line of a shared oracle file ({@code prompt_ids}, {@code generated_ids}, {@code steps[].top}). */
    public static DecodeTrace fromJson(JsonNode n) {
        JsonNode steps = n.get("steps");
        int[][] ids = new int[steps.size()][];
        float[][] logits = new float[steps.size()][];
        for (int s = 0; s < steps.size(); s++) {
            JsonNode top = steps.get(s).get("top");
            ids[s] = new int[top.size()];
            logits[s] = new float[top.size()];
            for (int i = 0; i < top.size(); i++) {
                ids[s][i] = top.get(i).get(0).asInt();
                logits[s][i] = (float) top.get(i).get(1).asDouble();
            }
        }
        return new DecodeTrace(ints(n.get("prompt_ids")), ints(n.get("generated_ids")), ids, logits);
    }

    private static int[] ints(JsonNode a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i).asInt();
        return r;
    }

    public static DecodeTrace greedy(LlamaCppNative llama, int[] prompt, int steps, int k) {
        llama.reset();
        int[] generated = new int[steps];
        int[][] ids = new int[steps][];
        float[][] logits = new float[steps][];
        float[] row = llama.decode(prompt, false)[0];
        for (int s = 0; s < steps; s++) {
            ids[s] = topK(row, k);
            logits[s] = new float[k];
            for (int i = 0; i < k; i++) logits[s][i] = row[ids[s][i]];
            generated[s] = ids[s][0];
            if (s + 1 < steps) row = llama.decode(new int[] {generated[s]}, false)[0];
        }
        return new DecodeTrace(prompt, generated, ids, logits);
    }

    /** Indices of the k largest values, largest first (lower index first on equal values). */
    public static int[] topK(float[] row, int k) {
        List<Integer> best = new ArrayList<>(k + 1);
        for (int v = 0; v < row.length; v++) {
            if (best.size() == k && row[v] <= row[best.get(k - 1)]) continue;
            int at = best.size();
            while (at > 0 && row[best.get(at - 1)] < row[v]) at--;
            best.add(at, v);
            if (best.size() > k) best.remove(k);
        }
        return best.stream().mapToInt(Integer::intValue).toArray();
    }

    /** prompt ids followed by all generated ids but the last: the teacher-forced input. */
    public int[] teacherForcedInput() {
        int[] in = Arrays.copyOf(promptIds, promptIds.length + generatedIds.length - 1);
        System.arraycopy(generatedIds, 0, in, promptIds.length, generatedIds.length - 1);
        return in;
    }

    /** The oracle's top-1/top-2 logit gap at a step. */
    public float gap(int step) {
        return topLogits[step][0] - topLogits[step][1];
    }
}
