package dev.strata.tools.quantize;

import dev.strata.StrataException;
import dev.strata.gguf.GgufFile;
import dev.strata.tensor.Tensor;
import dev.strata.tensor.quant.GgmlType;
import dev.strata.weights.Model;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Weight types per layer, as a quant variant or plan gives them: comma-separated {@code LAYERS=TYPE}
 * entries where LAYERS is a layer {@code N}, a block {@code A-B} or {@code *} (every layer), e.g.
 * {@code 2=Q4_0}, {@code 0-1=Q8_0,3=Q4_K} or {@code *=Q4_K}; a later entry overrides an earlier one
 * where they overlap. A layer's matrices get the type with {@code strata quantize --pure}'s rules
 * (row-length fallbacks, routers and 1-D tensors untouched); everything else stays as in the source.
 */
public record LayerTypes(List<Entry> entries) {
    private static final Pattern ENTRY = Pattern.compile("(\\*|\\d+|\\d+-\\d+)=([A-Za-z0-9_]+)");

    /** Layers first..last (last = -1 with first = -1: every layer) at {@code type}. */
    public record Entry(int first, int last, GgmlType type) {
        public boolean all() {
            return first < 0;
        }

        boolean covers(int layer) {
            return all() || (layer >= first && layer <= last);
        }

        @Override
        public String toString() {
            return (all() ? "*" : first == last ? Integer.toString(first) : first + "-" + last) + "=" + type.name();
        }
    }

    public LayerTypes {
        entries = List.copyOf(entries);
        if (entries.isEmpty()) throw new StrataException("a quant spec needs at least one LAYERS=TYPE entry");
    }

    public static LayerTypes all(GgmlType type) {
        return new LayerTypes(List.of(new Entry(-1, -1, type)));
    }

    public static LayerTypes block(int first, int last, GgmlType type) {
        return new LayerTypes(List.of(new Entry(first, last, type)));
    }

    public static LayerTypes parse(String spec) {
        if (spec == null || spec.isBlank()) throw new StrataException("empty quant spec (use e.g. 2=Q4_0, 0-1=Q8_0 or *=Q4_K)");
        List<Entry> out = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            Matcher m = ENTRY.matcher(part.strip());
            if (!m.matches()) throw new StrataException("quant entry '" + part.strip() + "' must look like N=TYPE, A-B=TYPE or *=TYPE (e.g. 2=Q4_0)");
            GgmlType type = TypeChoice.parseWritable(m.group(2));
            String layers = m.group(1);
            if (layers.equals("*")) {
                out.add(new Entry(-1, -1, type));
                continue;
            }
            int dash = layers.indexOf('-');
            int a = parseLayer(dash < 0 ? layers : layers.substring(0, dash)), b = dash < 0 ? a : parseLayer(layers.substring(dash + 1));
            if (b < a) throw new StrataException("quant entry '" + part.strip() + "': the block ends before it starts");
            out.add(new Entry(a, b, type));
        }
        return new LayerTypes(out);
    }

    private static int parseLayer(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new StrataException("layer index '" + s + "' is too large");
        }
    }

    /** The stable text form: entries in order, {@code A-A} written {@code A}, types upper case. */
    public String canonical() {
        return String.join(",", entries.stream().map(Entry::toString).toList());
    }

    /** The type each of {@code layers} layers asks for, null where the source's type stays. */
    public GgmlType[] perLayer(int layers) {
        GgmlType[] out = new GgmlType[layers];
        for (Entry e : entries) {
            if (!e.all() && e.last() >= layers)
                throw new StrataException("quant entry '" + e + "': the model has layers 0.." + (layers - 1));
            for (int l = 0; l < layers; l++) if (e.covers(l)) out[l] = e.type();
        }
        return out;
    }

    /** The tensors of {@code file} whose type changes, with their new type, in file order. */
    public Map<String, GgmlType> tensorTypes(GgufFile file, int layers) {
        GgmlType[] perLayer = perLayer(layers);
        boolean hasOutput = file.tensor("output.weight") != null;
        Map<String, GgmlType> out = new LinkedHashMap<>();
        for (Tensor t : file.tensors().values()) {
            int layer = Model.blockIndex(t.name());
            if (layer < 0 || layer >= layers || perLayer[layer] == null) continue;
            GgmlType type = TypeChoice.forTensor(t.name(), t.shape(), perLayer[layer], t.type(), true, hasOutput);
            if (type != t.type()) out.put(t.name(), type);
        }
        return out;
    }

    @Override
    public String toString() {
        return canonical();
    }
}
