package dev.strata.research;

import dev.strata.StrataException;
import dev.strata.eval.Variant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The candidates a research run considers, as variants: {@code dup} repeats every contiguous
 * block of up to {@code maxBlock} layers once more, {@code loop} runs the same blocks
 * {@code loopTimes} times in all, {@code skip} drops them (never all layers), {@code experts} tries
 * every other number of experts per token on an MoE model.
 */
public record SearchSpace(List<String> spaces, int maxBlock, int loopTimes) {
    public static final List<String> KNOWN = List.of("dup", "loop", "skip", "experts");

    public SearchSpace {
        spaces = List.copyOf(spaces);
        if (spaces.isEmpty()) throw new StrataException("--space is empty (use dup, loop, skip, experts, combined with commas)");
        for (String s : spaces) {
            if (s.equals("quant") || s.equals("train"))
                throw new StrataException("--space " + s + " is not available yet (use dup, loop, skip, experts)");
            if (!KNOWN.contains(s)) throw new StrataException("unknown --space '" + s + "' (use dup, loop, skip, experts, combined with commas)");
        }
        if (maxBlock < 1) throw new StrataException("--max-block must be at least 1, got " + maxBlock);
        if (loopTimes < 3 || loopTimes > 64) throw new StrataException("--loop-times must be 3..64 (2 is dup), got " + loopTimes);
    }

    public static SearchSpace parse(String list, int maxBlock, int loopTimes) {
        Set<String> names = new LinkedHashSet<>();
        for (String s : list.split(",")) if (!s.isBlank()) names.add(s.strip());
        return new SearchSpace(List.copyOf(names), maxBlock, loopTimes);
    }

    /** Every candidate for a model with {@code layers} blocks and {@code experts} experts of which {@code used} run per token. */
    public List<Variant> candidates(int layers, int experts, int used) {
        List<Variant> out = new ArrayList<>();
        for (String space : spaces) {
            switch (space) {
                case "dup" -> blocks(layers, (a, b) -> out.add(path("dup:" + a + "-" + b)));
                case "loop" -> blocks(layers, (a, b) -> out.add(path("loop:" + a + "-" + b + "x" + loopTimes)));
                case "skip" -> blocks(layers, (a, b) -> {
                    if (b - a + 1 < layers) out.add(path("skip:" + a + "-" + b));
                });
                case "experts" -> {
                    if (experts <= 1) throw new StrataException("--space experts needs an MoE model; this one has no experts");
                    for (int k = 1; k <= experts; k++) if (k != used) out.add(new Variant(null, k, null, null));
                }
                default -> throw new IllegalStateException(space);
            }
        }
        return out;
    }

    private void blocks(int layers, BlockSink sink) {
        for (int len = 1; len <= Math.min(maxBlock, layers); len++)
            for (int a = 0; a + len <= layers; a++) sink.accept(a, a + len - 1);
    }

    private static Variant path(String spec) {
        return new Variant(spec, 0, null, null);
    }

    private interface BlockSink {
        void accept(int start, int end);
    }
}
