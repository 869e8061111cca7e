package dev.strata.eval.yaml;

import dev.strata.StrataException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One step of an lm-eval {@code filter_list} pipeline, applied to the responses of one doc (one per
 * repeat): {@code regex} extraction, {@code take_first}, {@code majority_vote}, and the small text
 * filters {@code lowercase}, {@code uppercase} and {@code remove_whitespace}.
 */
interface ResponseFilter {
    List<String> apply(List<String> responses);

    /** A named pipeline; its name suffixes the metric names ("exact_match,strict-match"). */
    record Pipeline(String name, List<ResponseFilter> steps) {
        /** The filtered response: the pipeline's output, its first element if it is still a list. */
        String apply(List<String> responses) {
            List<String> r = responses;
            for (ResponseFilter f : steps) r = f.apply(r);
            return r.isEmpty() ? "" : r.getFirst();
        }

        /** lm-eval's default when a task has no filter_list. */
        static Pipeline none() {
            return new Pipeline("none", List.of(new TakeFirst()));
        }
    }

    /**
     * lm-eval's RegexFilter: Python's {@code re.findall} on each response, the match at
     * {@code group_select} (negative counts from the end); with several groups, the first non-empty
     * group of that match; stripped; {@code fallback} when nothing matches.
     */
    record Regex(Pattern pattern, int groupSelect, String fallback) implements ResponseFilter {
        static Regex of(String pattern, int groupSelect, String fallback) {
            try {
                return new Regex(Pattern.compile(pattern), groupSelect, fallback);
            } catch (PatternSyntaxException e) {
                throw new StrataException("regex_pattern '" + pattern + "' is not a valid regular expression: " + e.getDescription());
            }
        }

        @Override
        public List<String> apply(List<String> responses) {
            return responses.stream().map(this::extract).toList();
        }

        String extract(String response) {
            List<String> matches = new ArrayList<>();
            Matcher m = pattern.matcher(response);
            int groups = m.groupCount();
            while (m.find()) matches.add(findallItem(m, groups));
            if (matches.isEmpty()) return fallback;
            int i = groupSelect < 0 ? matches.size() + groupSelect : groupSelect;
            if (i < 0 || i >= matches.size()) {
                throw new StrataException("group_select " + groupSelect + " is out of range for " + matches.size() + " matches");
            }
            String match = matches.get(i);
            return match == null ? fallback : match.strip();
        }

        /** One element of findall: the whole match, the only group, or the first non-empty group (null if none). */
        private static String findallItem(Matcher m, int groups) {
            if (groups == 0) return m.group();
            if (groups == 1) return m.group(1) == null ? "" : m.group(1);
            for (int g = 1; g <= groups; g++) {
                if (m.group(g) != null && !m.group(g).isEmpty()) return m.group(g);
            }
            return null;
        }
    }

    record TakeFirst() implements ResponseFilter {
        @Override
        public List<String> apply(List<String> responses) {
            return responses.isEmpty() ? responses : List.of(responses.getFirst());
        }
    }

    /** The most common response; ties go to the one seen first (Python's Counter.most_common). */
    record MajorityVote() implements ResponseFilter {
        @Override
        public List<String> apply(List<String> responses) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (String r : responses) counts.merge(r, 1, Integer::sum);
            String best = null;
            int bestCount = 0;
            for (var e : counts.entrySet()) {
                if (e.getValue() > bestCount) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            return best == null ? List.of() : List.of(best);
        }
    }

    record MapEach(String name, java.util.function.UnaryOperator<String> f) implements ResponseFilter {
        @Override
        public List<String> apply(List<String> responses) {
            return responses.stream().map(f).toList();
        }
    }

    /** Builds one step from its YAML mapping: {@code function} plus its arguments. */
    static ResponseFilter parse(Map<String, Object> step) {
        Object fn = step.get("function");
        if (fn == null) throw new StrataException("a filter step needs 'function'");
        java.util.Set<String> allowed = switch (fn.toString()) {
            case "regex" -> java.util.Set.of("function", "regex_pattern", "group_select", "fallback");
            default -> java.util.Set.of("function");
        };
        for (String k : step.keySet()) {
            if (!allowed.contains(k)) throw new StrataException("unknown key '" + k + "' in filter '" + fn + "'");
        }
        return switch (fn.toString()) {
            case "regex" -> Regex.of(String.valueOf(step.getOrDefault("regex_pattern", "#### (\\-?[0-9\\.\\,]+)")),
                    YamlValues.integer(step.getOrDefault("group_select", 0), "group_select"),
                    String.valueOf(step.getOrDefault("fallback", "[invalid]")));
            case "take_first" -> new TakeFirst();
            case "majority_vote" -> new MajorityVote();
            case "lowercase" -> new MapEach("lowercase", s -> s.toLowerCase(java.util.Locale.ROOT));
            case "uppercase" -> new MapEach("uppercase", s -> s.toUpperCase(java.util.Locale.ROOT));
            case "remove_whitespace" -> new MapEach("remove_whitespace", String::stripLeading);
            default -> throw new StrataException("unsupported filter function '" + fn
                    + "' (supported: regex, take_first, majority_vote, lowercase, uppercase, remove_whitespace)");
        };
    }
}
