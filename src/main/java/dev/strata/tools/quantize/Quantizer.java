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
        Map<String, GgmlType> chosen = new LinkedHashMap<>();
        try (GgufFile src = GgufFile.open(in)) {
            GgufWriter w = new GgufWriter();
            GgufWriter.copyMetadata(src, w);
            w.putU32("general.file_type", TypeChoice.fileType(target));
            if (target.isQuantized()) w.putU32("general.quantization_version", 2);
            boolean hasOutput = src.tensor("output.weight") != null;
            for (Tensor t : src.tensors().values()) {
                GgmlType type = TypeChoice.forTensor(t.name(), t.shape(), target, t.type(), pure, hasOutput);
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
