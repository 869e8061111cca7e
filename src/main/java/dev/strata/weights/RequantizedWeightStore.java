package dev.strata.weights;

import dev.strata.StrataException;
import dev.strata.gguf.GgufFile;
import dev.strata.gguf.GgufFormatException;
import dev.strata.model.ExpertNames;
import dev.strata.tensor.Requantize;
import dev.strata.tensor.Tensor;
import dev.strata.tensor.quant.GgmlType;
import java.lang.foreign.Arena;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A mapped model with some tensors converted to other types in memory, all of them when the store
 * opens: the forward pass then reads and multiplies the converted bytes, so its results and its
 * weight-bytes accounting are those of a file quantized that way. A quantized source is
 * dequantized and quantized again. Everything not converted is the source's mapped bytes.
 */
public final class RequantizedWeightStore implements WeightStore {
    private final WeightStore source;
    private final Arena arena = Arena.ofShared();
    private final Map<String, Tensor> converted = new LinkedHashMap<>();
    private final ConcurrentHashMap<String, Tensor[]> expertSlices = new ConcurrentHashMap<>();

    /** Takes ownership of {@code source}; {@code types} names the tensors to convert and their new type. */
    public RequantizedWeightStore(WeightStore source, Map<String, GgmlType> types) {
        if (source instanceof StreamingWeightStore)
            throw new StrataException("per-layer weight types need the mapped model; drop the expert streaming options");
        this.source = source;
        try {
            for (var e : types.entrySet()) {
                Tensor t = source.tensor(e.getKey());
                if (t == null) throw new GgufFormatException(source.file().name(), "no tensor '" + e.getKey() + "' to convert");
                if (!t.type().isSupported()) throw new StrataException("tensor '" + t.name() + "' has type " + t.type() + ", which Strata cannot read");
                converted.put(t.name(), Requantize.inMemory(t, e.getValue(), arena));
            }
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The types that differ from the file's, by tensor name. */
    public Map<String, GgmlType> convertedTypes() {
        Map<String, GgmlType> out = new LinkedHashMap<>();
        converted.forEach((name, t) -> out.put(name, t.type()));
        return out;
    }

    @Override
    public Tensor tensor(String name) {
        Tensor t = converted.get(name);
        return t != null ? t : source.tensor(name);
    }

    @Override
    public Tensor expert(int layer, String kind, int expert) {
        Tensor packed = converted.get(ExpertNames.packed(layer, kind, expert));
        if (packed != null) return packed;
        String stacked = ExpertNames.stacked(layer, kind);
        Tensor whole = converted.get(stacked);
        if (whole == null) return source.expert(layer, kind, expert);
        Tensor[] slices = expertSlices.computeIfAbsent(stacked, n -> {
            Tensor[] s = new Tensor[(int) whole.shape()[2]];
            for (int e = 0; e < s.length; e++) s[e] = whole.slice(e);
            return s;
        });
        return slices[expert];
    }

    @Override
    public GgufFile file() {
        return source.file();
    }

    @Override
    public void close() {
        try {
            source.close();
        } finally {
            arena.close();
        }
    }
}
