package dev.strata.tensor;

import dev.strata.tensor.quant.GgmlType;
import dev.strata.tensor.quant.Quants;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Converts a tensor to another type by dequantizing whole rows to floats and quantizing them again,
 * about a million values at a time. {@code strata quantize} streams the chunks into a file; quant
 * variants keep them in memory; both run this one loop, so both give the same bytes.
 */
public final class Requantize {
    private static final int CHUNK_ELEMENTS = 1 << 20;

    private Requantize() {}

    /** Receives consecutive chunks of a tensor's values: {@code n} floats, a whole number of rows. */
    public interface Chunks {
        void accept(float[] values, int n) throws IOException;
    }

    /** Dequantizes {@code t} chunk by chunk, in row order. */
    public static void rows(Tensor t, Chunks sink) throws IOException {
        int rowLength = (int) t.shape()[0];
        long rows = t.elements() / rowLength;
        int chunkRows = Math.max(1, CHUNK_ELEMENTS / rowLength);
        float[] buf = new float[chunkRows * rowLength];
        for (long row = 0; row < rows; row += chunkRows) {
            int n = (int) Math.min(chunkRows, rows - row);
            Quants.dequantize(t.type(), t.data(), t.type().bytesFor(row * rowLength), buf, 0, n * rowLength);
            sink.accept(buf, n * rowLength);
        }
    }

    /** {@code t} as type {@code to}, in memory from {@code arena} (64-byte aligned, as the kernels like). */
    public static Tensor inMemory(Tensor t, GgmlType to, Arena arena) {
        MemorySegment out = arena.allocate(to.bytesFor(t.elements()), 64);
        long[] at = {0};
        try {
            rows(t, (values, n) -> {
                Quants.quantize(to, values, 0, n, out, at[0]);
                at[0] += to.bytesFor(n);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e); // memory sinks do not throw
        }
        return new Tensor(t.name(), to, t.shape(), out);
    }
}
