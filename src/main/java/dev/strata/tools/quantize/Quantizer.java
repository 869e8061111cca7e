package dev.strata.tools.quantize;

import dev.strata.StrataException;
import dev.strata.gguf.GgufFile;
import dev.strata.gguf.GgufWriter;
import dev.strata.tensor.quant.GgmlType;
import dev.strata.tensor.Requantize;
import dev.strata.tensor.Tensor;
import dev.strata.tensor.quant.Quants;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Converts an F32/F16/BF16 GGUF model to a quantized type, tensor by tensor, as llama-quantize does. */
public final class Quantizer {
    private Quantizer() {}

    private static final Set<GgmlType> SOURCES = EnumSet.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16);

    /** Writes {@code out} and returns the type chosen for each tensor. */
    public static Map<String, GgmlType> quantize(Path in, Path out, GgmlType target, boolean pure) {
        return quantize(in, out, target, pure, Map.of());
    }

    /** As llama-quantize with a named mix such as Q4_K_M. */
    public static Map<String, GgmlType> quantize(Path in, Path out, QuantMix mix) {
        return quantize(in, out, mix, Map.of());
    }

    /**
     * As llama-quantize with {@code --tensor-type PATTERN=TYPE}: a matrix whose name contains a match of
     * a pattern (the first that matches) gets that type instead, with the usual row-length fallbacks.
     */
    public static Map<String, GgmlType> quantize(Path in, Path out, GgmlType target, boolean pure, Map<Pattern, GgmlType> overrides) {
        return quantize(in, out, TypeChoice.fileType(target), target.isQuantized() || overrides.values().stream().anyMatch(GgmlType::isQuantized),
                src -> overridden(src, overrides, (name, shape, source) -> TypeChoice.forTensor(name, shape, target, source, pure,
                        src.tensor("output.weight") != null)));
    }

    public static Map<String, GgmlType> quantize(Path in, Path out, QuantMix mix, Map<Pattern, GgmlType> overrides) {
        return quantize(in, out, mix.fileType, true, src -> overridden(src, overrides, mix.chooser(src)::typeFor));
    }

    private static TensorTypes overridden(GgufFile src, Map<Pattern, GgmlType> overrides, TensorTypes otherwise) {
        boolean hasOutput = src.tensor("output.weight") != null;
        return (name, shape, source) -> {
            GgmlType base = otherwise.typeFor(name, shape, source); // the mix counts tensors as it goes, so ask it every time
            for (var o : overrides.entrySet())
                if (o.getKey().matcher(name).find()) return TypeChoice.forTensor(name, shape, o.getValue(), source, true, hasOutput);
            return base;
        };
    }

    private interface TensorTypes {
        GgmlType typeFor(String name, long[] shape, GgmlType source);
    }

    private static Map<String, GgmlType> quantize(Path in, Path out, int fileType, boolean quantized,
                                                  java.util.function.Function<GgufFile, TensorTypes> typesFor) {
        Map<String, GgmlType> chosen = new LinkedHashMap<>();
        try (GgufFile src = GgufFile.open(in)) {
            GgufWriter w = new GgufWriter();
            GgufWriter.copyMetadata(src, w);
            w.putU32("general.file_type", fileType);
            if (quantized) w.putU32("general.quantization_version", 2);
            TensorTypes types = typesFor.apply(src);
            for (Tensor t : src.tensors().values()) {
                GgmlType type = types.typeFor(t.name(), t.shape(), t.type());
                chosen.put(t.name(), type);
                if (type == t.type()) {
                    w.addTensor(t);
                    continue;
                }
                if (!SOURCES.contains(t.type())) {
                    throw new StrataException("tensor '" + t.name() + "' is " + t.type() + "; quantize needs an F32, F16 or BF16 model");
                }
                w.addTensor(t.name(), type, t.shape(), channel -> convert(t, type, channel));
            }
            w.write(out);
        }
        return chosen;
    }

    private static void convert(Tensor t, GgmlType to, WritableByteChannel out) throws java.io.IOException {
        Requantize.rows(t, (values, n) -> {
            ByteBuffer bytes = ByteBuffer.wrap(Quants.quantize(to, values, 0, n));
            while (bytes.hasRemaining()) out.write(bytes);
        });
    }
}
