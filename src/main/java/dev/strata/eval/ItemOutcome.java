package dev.strata.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What scoring one item gave. {@code correct} is the primary binary outcome that the paired tests
 * use; {@code metrics} holds the per-item values a task aggregates (exact_match, acc, acc_norm,
 * loglikelihood, bytes, words, ...). Token counts are this item's prompt and generated tokens.
 */
public record ItemOutcome(String prediction, boolean correct, Map<String, Double> metrics, int promptTokens, int generatedTokens) {

    public ItemOutcome {
        metrics = Map.copyOf(metrics);
    }

    /** The mean of every metric over the outcomes that carry it, in first-seen order. */
    public static Map<String, Double> meanOfMetrics(List<ItemOutcome> outcomes) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (ItemOutcome o : outcomes) {
            o.metrics().forEach((k, v) -> {
                double[] s = sums.computeIfAbsent(k, x -> new double[2]);
                s[0] += v;
                s[1]++;
            });
        }
        Map<String, Double> out = new LinkedHashMap<>();
        sums.forEach((k, s) -> out.put(k, s[0] / s[1]));
        return out;
    }
}
