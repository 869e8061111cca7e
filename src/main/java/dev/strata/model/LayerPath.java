package dev.strata.model;

import dev.strata.StrataException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses layer-path specs. Plain terms concatenate ranges ({@code 0-9,7-9,10-63}); modifier terms
 * edit a base path, which is the identity when no plain term is given:
 * {@code dup:7-9} runs 7..9 once more right after itself, {@code loop:7-9x3} runs it three times
 * in all, {@code skip:20-22} drops those layers. Terms combine left to right.
 */
public final class LayerPath {
    /** Default cap on a path's length, in multiples of the layer count: every step costs a KV slot and a layer's compute. */
    public static final int DEFAULT_MAX_STEPS_PER_LAYER = 4;

    private LayerPath() {}

    public static int defaultMaxSteps(int layerCount) {
        return (int) Math.min(Integer.MAX_VALUE, (long) DEFAULT_MAX_STEPS_PER_LAYER * layerCount);
    }

    public static int[] parse(String spec, int layerCount) {
        return parse(spec, layerCount, defaultMaxSteps(layerCount));
    }

    /** As {@link #parse(String, int)}, refusing a path longer than maxSteps as soon as a term makes it so. */
    public static int[] parse(String spec, int layerCount, int maxSteps) {
        if (spec == null || spec.isBlank()) throw error(spec, "the path is empty", layerCount);
        List<Integer> base = new ArrayList<>();
        List<String> modifiers = new ArrayList<>();
        for (String raw : spec.split(",")) {
            String term = raw.trim();
            if (term.isEmpty()) throw error(spec, "empty term", layerCount);
            if (term.contains(":")) modifiers.add(term);
            else for (int l : range(spec, term, layerCount)) base.add(l);
            checkLength(spec, base, layerCount, maxSteps);
        }
        if (base.isEmpty()) for (int i = 0; i < layerCount; i++) base.add(i);
        for (String m : modifiers) {
            apply(spec, m, base, layerCount);
            checkLength(spec, base, layerCount, maxSteps);
        }
        if (base.isEmpty()) throw error(spec, "the path is empty", layerCount);
        return base.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void apply(String spec, String term, List<Integer> path, int n) {
        String op = term.substring(0, term.indexOf(':'));
        String arg = term.substring(term.indexOf(':') + 1);
        switch (op) {
            case "skip" -> {
                int[] r = range(spec, arg, n);
                path.removeIf(l -> l >= r[0] && l <= r[r.length - 1]);
            }
            case "dup" -> repeat(spec, path, range(spec, arg, n), 2, n);
            case "loop" -> {
                int x = arg.lastIndexOf('x');
                if (x < 0) throw error(spec, "loop needs a count, as in loop:7-9x3", n);
                int times = number(spec, arg.substring(x + 1), n);
                if (times < 1 || times > 64) throw error(spec, "loop count " + times + " must be 1..64", n);
                repeat(spec, path, range(spec, arg.substring(0, x), n), times, n);
            }
            default -> throw error(spec, "unknown operator " + StrataException.quote(op) + " (use dup:, skip: or loop:)", n);
        }
    }

    private static void checkLength(String spec, List<Integer> path, int n, int maxSteps) {
        if (path.size() > maxSteps) {
            throw error(spec, "it has more than " + maxSteps + " steps, the limit (--max-plan-steps, default "
                    + DEFAULT_MAX_STEPS_PER_LAYER + "x the layer count)", n);
        }
    }

    /** Makes the first occurrence of the contiguous block run {@code times} times in total. */
    private static void repeat(String spec, List<Integer> path, int[] block, int times, int n) {
        for (int i = 0; i + block.length <= path.size(); i++) {
            boolean match = true;
            for (int j = 0; j < block.length && match; j++) match = path.get(i + j) == block[j];
            if (!match) continue;
            List<Integer> copies = new ArrayList<>();
            for (int t = 1; t < times; t++) for (int l : block) copies.add(l);
            path.addAll(i + block.length, copies);
            return;
        }
        throw error(spec, "block " + block[0] + "-" + block[block.length - 1] + " does not occur in the path", n);
    }

    private static int[] range(String spec, String term, int n) {
        int dash = term.indexOf('-', 1);
        int a = number(spec, dash < 0 ? term : term.substring(0, dash), n);
        int b = dash < 0 ? a : number(spec, term.substring(dash + 1), n);
        for (int l : new int[] {a, b}) {
            if (l < 0 || l >= n) throw error(spec, "layer " + l + " is out of range", n);
        }
        if (b < a) throw error(spec, "range " + a + "-" + b + " runs backwards", n);
        int[] r = new int[b - a + 1];
        for (int i = 0; i < r.length; i++) r[i] = a + i;
        return r;
    }

    private static int number(String spec, String s, int n) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw error(spec, StrataException.quote(s.trim()) + " is not a layer number", n);
        }
    }

    private static StrataException error(String spec, String what, int n) {
        return new StrataException("invalid layer path " + StrataException.quote(spec) + ": " + what + " (the model has " + n + " layers, 0-" + (n - 1) + ")");
    }
}
