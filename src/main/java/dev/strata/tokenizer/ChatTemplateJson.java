package dev.strata.tokenizer;

import java.util.Collection;
import java.util.Map;

/**
 * Serialises template values the way HF's {@code tojson} filter does: Python's
 * {@code json.dumps(value, ensure_ascii=False, indent=indent)}, keys in insertion order,
 * separators {@code ", "} and {@code ": "} (or {@code ","} plus newline when indenting).
 */
final class ChatTemplateJson {
    private ChatTemplateJson() {}

    static String toJson(Object value, int indent) {
        StringBuilder out = new StringBuilder();
        write(out, value, indent, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, int indent, int depth) {
        switch (value) {
            case null -> out.append("null");
            case CharSequence s -> writeString(out, s.toString());
            case Boolean b -> out.append(b ? "true" : "false");
            case Double d -> out.append(pythonFloat(d));
            case Float f -> out.append(pythonFloat(f.doubleValue()));
            case Number n -> out.append(n);
            case Map<?, ?> map -> writeMap(out, map, indent, depth);
            case Collection<?> items -> writeList(out, items.toArray(), indent, depth);
            case Object[] items -> writeList(out, items, indent, depth);
            default -> writeString(out, value.toString());
        }
    }

    private static void writeMap(StringBuilder out, Map<?, ?> map, int indent, int depth) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!first) out.append(indent > 0 ? "," : ", ");
            first = false;
            newline(out, indent, depth + 1);
            writeString(out, String.valueOf(e.getKey()));
            out.append(": ");
            write(out, e.getValue(), indent, depth + 1);
        }
        newline(out, indent, depth);
        out.append('}');
    }

    private static void writeList(StringBuilder out, Object[] items, int indent, int depth) {
        if (items.length == 0) {
            out.append("[]");
            return;
        }
        out.append('[');
        for (int i = 0; i < items.length; i++) {
            if (i > 0) out.append(indent > 0 ? "," : ", ");
            newline(out, indent, depth + 1);
            write(out, items[i], indent, depth + 1);
        }
        newline(out, indent, depth);
        out.append(']');
    }

    private static void newline(StringBuilder out, int indent, int depth) {
        if (indent <= 0) return;
        out.append('\n').append(" ".repeat(indent * depth));
    }

    private static String pythonFloat(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
        return Double.toString(d);
    }

    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }
}
