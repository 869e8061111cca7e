package dev.strata.eval.yaml;

import dev.strata.StrataException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Few-shot examples and the prompt built from them, as lm-eval's ContextSampler builds it:
 * {@code description + (text + target_delimiter + target + fewshot_delimiter) per example + text}.
 * The examples are a seeded draw that depends only on the item's index (never on the variant), so
 * every variant sees the same prompt; when they come from the scored split the item itself is excluded.
 */
final class FewShot {
    /** lm-eval's default fewshot_random_seed. */
    static final long SEED = 1234;

    private FewShot() {}

    /** The indices, into the few-shot docs, of the examples for item {@code item}. */
    static List<Integer> select(int item, int n, int poolSize, boolean excludeItem, String sampler) {
        if (n == 0) return List.of();
        int available = poolSize - (excludeItem ? 1 : 0);
        if (available < n) throw new StrataException("num_fewshot " + n + " needs " + n + " few-shot docs, the few-shot split has " + available);
        List<Integer> out = new ArrayList<>(n);
        if (sampler.equals("first_n")) {
            for (int i = 0; out.size() < n; i++) if (!(excludeItem && i == item)) out.add(i);
            return out;
        }
        // a partial Fisher-Yates draw of n + 1 distinct docs; the item is dropped if drawn, then n kept
        SplittableRandom rnd = new SplittableRandom(SEED * 0x9E3779B97F4A7C15L + item);
        int[] idx = new int[poolSize];
        for (int i = 0; i < poolSize; i++) idx[i] = i;
        int draws = Math.min(poolSize, n + 1);
        for (int i = 0; i < draws; i++) {
            int j = i + rnd.nextInt(poolSize - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            if (!(excludeItem && idx[i] == item) && out.size() < n) out.add(idx[i]);
        }
        return out;
    }

    /** The prompt for {@code doc} after the given examples. */
    static String context(TaskSpec s, Map<String, Object> doc, List<Map<String, Object>> examples) {
        StringBuilder b = new StringBuilder(s.description().isEmpty() ? "" : DocTemplates.render(s.description(), doc));
        for (Map<String, Object> ex : examples) {
            b.append(DocTemplates.text(s.docToText(), ex));
            String target = targetText(s, ex);
            if (!target.isEmpty()) b.append(s.targetDelimiter()).append(target).append(s.fewshotDelimiter());
        }
        return b.append(DocTemplates.text(s.docToText(), doc)).toString();
    }

    /** An example's answer as text: the first of a list, the named choice for an index. */
    static String targetText(TaskSpec s, Map<String, Object> doc) {
        Object t = DocTemplates.target(s.docToTarget(), doc, s.docToChoice() != null);
        if (t instanceof List<?> l) return l.isEmpty() ? "" : String.valueOf(l.getFirst());
        if (t instanceof Number n && s.docToChoice() != null) {
            List<String> choices = DocTemplates.choices(s.docToChoice(), doc);
            int i = n.intValue();
            if (i < 0 || i >= choices.size()) throw new StrataException("target index " + i + " is outside the " + choices.size() + " choices");
            return choices.get(i);
        }
        return String.valueOf(t);
    }
}
