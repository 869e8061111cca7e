package dev.strata.research;

import dev.strata.StrataException;
import dev.strata.eval.Variant;
import dev.strata.tensor.quant.GgmlType;
import dev.strata.tools.quantize.LayerTypes;
import dev.strata.tools.quantize.TypeChoice;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The candidates a research run considers, as variants: {@code dup} repeats every contiguous
 * block of up to {@code maxBlock} layers once more, {@code loop} runs the same blocks
 * {@code loopTimes} times in all, {@code skip} drops them (never all layers), {@code experts} tries
 * every other number of experts per token on an MoE model, {@code quant} requantizes the same blocks
 * (and, once per type, all layers) in memory to each of {@code quantTypes}.
 */
public record SearchSpace(List<String> spaces, int maxBlock, int loopTimes, List<GgmlType> quantTypes) {
    public static final List<String> KNOWN = List.of("dup", "loop", "skip", "experts", "quant");
    /** The default --quant-types: one type per bit width the reference quantizer writes well, 8, ~4.5 (K-quant) and ~4.5 (legacy). */
    public static final List<GgmlType> DEFAULT_QUANT_TYPES = List.of(GgmlType.Q8_0, GgmlType.Q4_K, GgmlType.Q4_0);

    public SearchSpace {
        spaces = List.copyOf(spaces);
        quantTypes = List.copyOf(new LinkedHashSet<>(quantTypes));
        if (spaces.isEmpty()) throw new StrataException("--space is empty (use dup, loop, skip, experts, quant, combined with commas)");
        for (String s : spaces) {
            if (s.equals("train")) throw new StrataException("--space train trains models and stands alone; give it without " + String.join(",", spaces.stream().filter(x -> !x.equals("train")).toList()));
            if (!KNOWN.contains(s)) throw new StrataException("unknown --space '" + s + "' (use dup, loop, skip, experts, quant, combined with commas, or train)");
        }
        if (spaces.contains("quant") && quantTypes.isEmpty()) throw new StrataException("--quant-types is empty");
        if (maxBlock < 1) throw new StrataException("--max-block must be at least 1, got " + maxBlock);
        if (loopTimes < 3 || loopTimes > 64) throw new StrataException("--loop-times must be 3..64 (2 is dup), got " + loopTimes);
    }

    public SearchSpace(List<String> spaces, int maxBlock, int loopTimes) {
        this(spaces, maxBlock, loopTimes, DEFAULT_QUANT_TYPES);
    }

    public static SearchSpace parse(String list, int maxBlock, int loopTimes) {
        return parse(list, maxBlock, loopTimes, null);
    }

    /** quantTypes: comma-separated type names for {@code quant}, null for {@link #DEFAULT_QUANT_TYPES}. */
    public static SearchSpace parse(String list, int maxBlock, int loopTimes, String quantTypes) {
        Set<String> names = new LinkedHashSet<>();
        for (String s : list.split(",")) if (!s.isBlank()) names.add(s.strip());
        List<GgmlType> types = new ArrayList<>();
        if (quantTypes == null) types.addAll(DEFAULT_QUANT_TYPES);
        else for (String t : quantTypes.split(",")) if (!t.isBlank()) types.add(TypeChoice.parseWritable(t.strip()));
        return new SearchSpace(List.copyOf(names), maxBlock, loopTimes, types);
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
                case "quant" -> {
                    for (GgmlType t : quantTypes) {
                        blocks(layers, (a, b) -> {
                            if (b - a + 1 < layers) out.add(quant(LayerTypes.block(a, b, t)));
                        });
                        out.add(quant(LayerTypes.all(t)));
                    }
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

    private static Variant quant(LayerTypes types) {
        return new Variant(null, 0, null, null, types.canonical());
    }

    private interface BlockSink {
        void accept(int start, int end);
    }
}
