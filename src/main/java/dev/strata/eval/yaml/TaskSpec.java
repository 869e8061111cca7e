package dev.strata.eval.yaml;

import dev.strata.StrataException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The lm-eval task keys Strata understands, parsed and checked. Unknown keys are a one-line error
 * naming the key; purely descriptive ones ({@code tag}, {@code metadata}, ...) only warn.
 */
record TaskSpec(String task, String outputType, Object docToText, Object docToTarget, Object docToChoice,
                String description, String targetDelimiter, String fewshotDelimiter, int numFewshot, String fewshotSampler,
                Generation generation, int repeats, List<Metric> metrics, List<ResponseFilter.Pipeline> filters) {

    static final Set<String> OUTPUT_TYPES = Set.of("generate_until", "multiple_choice", "loglikelihood_rolling");
    static final Set<String> KEYS = Set.of("task", "dataset_path", "dataset_kwargs", "test_split", "validation_split",
            "training_split", "fewshot_split", "doc_to_text", "doc_to_target", "doc_to_choice", "description",
            "target_delimiter", "fewshot_delimiter", "output_type", "generation_kwargs", "num_fewshot", "fewshot_config",
            "metric_list", "filter_list", "repeats");
    /** Keys that change nothing Strata computes. */
    static final Set<String> COSMETIC = Set.of("tag", "group", "metadata", "task_alias", "group_alias", "dataset_name",
            "should_decontaminate", "doc_to_decontamination_query", "unsafe_code");

    /** generation_kwargs: stop strings, token limit, and sampling (greedy unless do_sample). */
    record Generation(List<String> until, int maxGenToks, boolean doSample, double temperature) {}

    /** One metric_list entry; {@code exactMatch} holds exact_match's options. */
    record Metric(String name, ExactMatch exactMatch) {}

    static TaskSpec parse(Map<String, Object> y) {
        for (String k : y.keySet()) {
            if (COSMETIC.contains(k)) System.err.println("warning: task key '" + k + "' is ignored");
            else if (!KEYS.contains(k)) throw new StrataException("unknown task key '" + k + "'");
        }
        String task = YamlValues.string(require(y, "task"), "task");
        String type = YamlValues.string(y.getOrDefault("output_type", "generate_until"), "output_type");
        if (!OUTPUT_TYPES.contains(type)) {
            throw new StrataException("output_type '" + type + "' is not supported (supported: generate_until, multiple_choice, loglikelihood_rolling)");
        }
        Object choice = y.get("doc_to_choice");
        if (type.equals("multiple_choice") && choice == null) throw new StrataException("a multiple_choice task needs 'doc_to_choice'");
        String fewshotDelimiter = YamlValues.string(y.getOrDefault("fewshot_delimiter", "\n\n"), "fewshot_delimiter");
        int repeats = YamlValues.integer(y.getOrDefault("repeats", 1), "repeats");
        if (repeats < 1) throw new StrataException("'repeats' must be at least 1, got " + repeats);
        int numFewshot = YamlValues.integer(y.getOrDefault("num_fewshot", 0), "num_fewshot");
        if (numFewshot < 0) throw new StrataException("'num_fewshot' must be >= 0, got " + numFewshot);
        return new TaskSpec(task, type, type.equals("loglikelihood_rolling") ? y.getOrDefault("doc_to_text", "") : require(y, "doc_to_text"),
                require(y, "doc_to_target"), choice,
                YamlValues.string(y.getOrDefault("description", ""), "description"),
                YamlValues.string(y.getOrDefault("target_delimiter", " "), "target_delimiter"), fewshotDelimiter, numFewshot,
                sampler(y.get("fewshot_config")), generation(y.get("generation_kwargs"), fewshotDelimiter), repeats,
                metrics(y.get("metric_list"), type), filters(y.get("filter_list")));
    }

    private static Object require(Map<String, Object> y, String key) {
        Object v = y.get(key);
        if (v == null) throw new StrataException("the task file needs '" + key + "'");
        return v;
    }

    private static String sampler(Object v) {
        if (v == null) return "default";
        Map<String, Object> m = YamlValues.map(v, "fewshot_config");
        for (String k : m.keySet()) if (!k.equals("sampler")) throw new StrataException("unknown key '" + k + "' in fewshot_config");
        String s = YamlValues.string(m.getOrDefault("sampler", "default"), "fewshot_config.sampler");
        if (!s.equals("default") && !s.equals("first_n")) throw new StrataException("fewshot sampler '" + s + "' is not supported (default, first_n)");
        return s;
    }

    private static Generation generation(Object v, String fewshotDelimiter) {
        if (v == null) return new Generation(List.of(fewshotDelimiter), 256, false, 0);
        Map<String, Object> m = YamlValues.map(v, "generation_kwargs");
        for (String k : m.keySet()) {
            if (!Set.of("until", "max_gen_toks", "do_sample", "temperature").contains(k)) {
                throw new StrataException("unknown key '" + k + "' in generation_kwargs (supported: until, max_gen_toks, do_sample, temperature)");
            }
        }
        List<String> until = m.containsKey("until") ? YamlValues.list(m.get("until"), "until").stream().map(String::valueOf).toList()
                : List.of(fewshotDelimiter);
        int max = YamlValues.integer(m.getOrDefault("max_gen_toks", 256), "max_gen_toks");
        if (max < 1) throw new StrataException("'max_gen_toks' must be at least 1, got " + max);
        boolean doSample = YamlValues.bool(m.getOrDefault("do_sample", false), "do_sample");
        double temperature = YamlValues.number(m.getOrDefault("temperature", doSample ? 1.0 : 0.0), "temperature");
        return new Generation(until, max, doSample && temperature > 0, temperature);
    }

    private static List<Metric> metrics(Object v, String type) {
        List<Metric> out = new ArrayList<>();
        if (v == null) {
            for (String name : switch (type) {
                case "multiple_choice" -> List.of("acc", "acc_norm");
                case "loglikelihood_rolling" -> List.of("word_perplexity", "byte_perplexity", "bits_per_byte");
                default -> List.of("exact_match");
            }) out.add(new Metric(name, ExactMatch.PLAIN));
            return out;
        }
        for (Object o : YamlValues.list(v, "metric_list")) {
            Map<String, Object> m = YamlValues.map(o, "metric_list entry");
            String name = YamlValues.string(m.get("metric"), "metric");
            Set<String> allowed = name.equals("exact_match")
                    ? Set.of("metric", "aggregation", "higher_is_better", "ignore_case", "ignore_punctuation", "ignore_numbers", "regexes_to_ignore")
                    : Set.of("metric", "aggregation", "higher_is_better");
            for (String k : m.keySet()) if (!allowed.contains(k)) throw new StrataException("unknown key '" + k + "' in metric '" + name + "'");
            Set<String> fits = switch (type) {
                case "generate_until" -> Set.of("exact_match");
                case "multiple_choice" -> Set.of("acc", "acc_norm", "exact_match");
                default -> Set.of("word_perplexity", "byte_perplexity", "bits_per_byte");
            };
            if (!fits.contains(name)) throw new StrataException("metric '" + name + "' is not supported for output_type " + type + " (supported: " + String.join(", ", new java.util.TreeSet<>(fits)) + ")");
            out.add(new Metric(name, name.equals("exact_match") ? exactMatch(m) : ExactMatch.PLAIN));
        }
        if (out.isEmpty()) throw new StrataException("'metric_list' is empty");
        return out;
    }

    private static ExactMatch exactMatch(Map<String, Object> m) {
        List<Pattern> ignore = new ArrayList<>();
        if (m.containsKey("regexes_to_ignore")) {
            for (Object r : YamlValues.list(m.get("regexes_to_ignore"), "regexes_to_ignore")) {
                try {
                    ignore.add(Pattern.compile(String.valueOf(r)));
                } catch (java.util.regex.PatternSyntaxException e) {
                    throw new StrataException("regexes_to_ignore: '" + r + "' is not a valid regular expression");
                }
            }
        }
        return new ExactMatch(ignore, YamlValues.bool(m.getOrDefault("ignore_case", false), "ignore_case"),
                YamlValues.bool(m.getOrDefault("ignore_punctuation", false), "ignore_punctuation"),
                YamlValues.bool(m.getOrDefault("ignore_numbers", false), "ignore_numbers"));
    }

    private static List<ResponseFilter.Pipeline> filters(Object v) {
        if (v == null) return List.of(ResponseFilter.Pipeline.none());
        List<ResponseFilter.Pipeline> out = new ArrayList<>();
        Map<String, Boolean> names = new LinkedHashMap<>();
        for (Object o : YamlValues.list(v, "filter_list")) {
            Map<String, Object> m = YamlValues.map(o, "filter_list entry");
            for (String k : m.keySet()) if (!k.equals("name") && !k.equals("filter")) throw new StrataException("unknown key '" + k + "' in filter_list");
            String name = YamlValues.string(m.get("name"), "filter_list name");
            if (names.put(name, true) != null) throw new StrataException("filter '" + name + "' is defined twice");
            List<ResponseFilter> steps = new ArrayList<>();
            for (Object s : YamlValues.list(m.get("filter"), "filter")) steps.add(ResponseFilter.parse(YamlValues.map(s, "filter step")));
            out.add(new ResponseFilter.Pipeline(name, steps));
        }
        return out;
    }
}
