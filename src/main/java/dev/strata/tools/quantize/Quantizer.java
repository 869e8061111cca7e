package dev.strata.tools.quantize;

import dev.strata.StrataException;
import dev.strata.gguf.GgufFile;
import dev.strata.gguf.GgufWriter;
import dev.strata.tensor.quant.GgmlType;
import dev.strata.tensor.Tensor;
import dev.strata.tensor.quant.Quants;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Converts an F32/F16/BF16 GGUF model to a quantized type, tensor by tensor, as llama-quantize does. */
public final class Quantizer {
    private Quantizer() {}

    private static final Set<GgmlType> SOURCES = EnumSet.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16);
    private static final int CHUNK_ELEMENTS = 1 << 20;

    /** Writes {@code out} and returns the type chosen for each tensor. */
    public static Map<String, GgmlType> quantize(Path in, Path out, GgmlType target, boolean pure) {
        return quantize(in, out, TypeChoice.fileType(target), target.isQuantized(), src -> {
            boolean hasOutput = src.tensor("output.weight") != null;
            return (name, shape, source) -> TypeChoice.forTensor(name, shape, target, source, pure, hasOutput);
        });
    }

    /** As llama-quantize with a named mix such as Q4_K_M. */
    public static Map<String, GgmlType> quantize(Path in, Path out, QuantMix mix) {
        return quantize(in, out, mix.fileType, true, src -> mix.chooser(src)::typeFor);
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
        int rowLength = (int) t.shape()[0];
        long rows = t.elements() / rowLength;
        int chunkRows = Math.max(1, CHUNK_ELEMENTS / rowLength);
        float[] buf = new float[chunkRows * rowLength];
        for (long row = 0; row < rows; row += chunkRows) {
            int n = (int) Math.min(chunkRows, rows - row);
            Quants.dequantize(t.type(), t.data(), t.type().bytesFor(row * rowLength), buf, 0, n * rowLength);
            ByteBuffer bytes = ByteBuffer.wrap(Quants.quantize(to, buf, 0, n * rowLength));
            while (bytes.hasRemaining()) out.write(bytes);
        }
    }
}
