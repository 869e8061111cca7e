package dev.strata.eval.yaml;

import dev.strata.StrataException;
import java.util.List;
import java.util.Map;

/** Typed reads of parsed YAML values, with one-line errors that name the key. */
final class YamlValues {
    private YamlValues() {}

    static int integer(Object v, String key) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short) return ((Number) v).intValue();
        throw new StrataException("'" + key + "' must be an integer, got " + v);
    }

    static double number(Object v, String key) {
        if (v instanceof Number n) return n.doubleValue();
        throw new StrataException("'" + key + "' must be a number, got " + v);
    }

    static boolean bool(Object v, String key) {
        if (v instanceof Boolean b) return b;
        throw new StrataException("'" + key + "' must be true or false, got " + v);
    }

    static String string(Object v, String key) {
        if (v instanceof String s) return s;
        throw new StrataException("'" + key + "' must be a string, got " + v);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object v, String key) {
        if (v instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new StrataException("'" + key + "' must be a mapping, got " + v);
    }

    /** A list, or a single value as a one-element list (lm-eval accepts `until: "Question:"`). */
    static List<?> list(Object v, String key) {
        if (v instanceof List<?> l) return l;
        if (v == null) throw new StrataException("'" + key + "' is missing");
        return List.of(v);
    }
}
