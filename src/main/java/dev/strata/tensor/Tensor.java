package dev.strata.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import dev.strata.tensor.quant.GgmlType;

/**
 * A typed, zero-copy view over tensor bytes. Shape is in GGML order: ne[0] is the contiguous
 * (column) dimension, so a 2-D weight has ne[1] rows of ne[0] elements.
 *
 * <p>{@code packed}, when not null, is a copy of the same weights reordered for one kernel
 * provider's matmul (see {@link KernelProvider#repack}); {@code data} stays the original layout,
 * which every other reader (row dequantization, other providers) uses.
 */
public record Tensor(String name, GgmlType type, long[] shape, MemorySegment data, MemorySegment packed) {

    public Tensor(String name, GgmlType type, long[] shape, MemorySegment data) {
        this(name, type, shape, data, null);
    }

    public Tensor withPacked(MemorySegment packed) {
        return new Tensor(name, type, shape, data, packed);
    }

    public long elements() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    public int cols() {
        return (int) shape[0];
    }

    /** Rows of the 2-D view: everything beyond ne[0] flattened. */
    public long rows() {
        return elements() / shape[0];
    }

    public long rowBytes() {
        return type.bytesFor(shape[0]);
    }

    /** Byte offset (into data) of row r. */
    public long rowOffset(long r) {
        return r * rowBytes();
    }

    /** The e-th slice along the last dimension (an expert of a 3-D expert tensor). */
    public Tensor slice(int e) {
        long[] sub = Arrays.copyOf(shape, shape.length - 1);
        long per = type.bytesFor(elementsOf(sub));
        return new Tensor(name + "[" + e + "]", type, sub, data.asSlice(per * e, per));
    }

    private static long elementsOf(long[] s) {
        long n = 1;
        for (long d : s) n *= d;
        return n;
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape);
    }
}
