package dev.strata.tensor.quant;

import dev.strata.StrataException;
import java.lang.foreign.MemorySegment;

/**
 * Row-level quantize / dequantize for every supported type, in GGML's on-disk layouts. Quantizers
 * follow ggml's reference (quantize_row_*_ref, no importance matrix) so output is byte-identical to
 * llama.cpp's for the same input.
 */
public final class Quants {
    private Quants() {}

    /**
     * Quantizes src[off .. off+n) into dst at dstOff (writes type.bytesFor(n) bytes). n must be a
     * multiple of the type's block size.
     */
    public static void quantize(GgmlType type, float[] src, int off, int n, MemorySegment dst, long dstOff) {
        requireSupported(type);
        requireWholeBlocks(type, n);
        int bs = type.blockSize;
        for (int b = 0; b < n / bs; b++) {
            int xo = off + b * bs;
            long o = dstOff + (long) b * type.typeSize;
            switch (type) {
                case F32 -> dst.set(Half.LE_FLOAT, o, src[xo]);
                case F16 -> dst.set(Half.LE_SHORT, o, Half.floatToF16(src[xo]));
                case BF16 -> dst.set(Half.LE_SHORT, o, Half.floatToBf16(src[xo]));
                case Q8_0 -> Q8_0.quantizeBlock(src, xo, dst, o);
                case Q4_0 -> Q4_0.quantizeBlock(src, xo, dst, o);
                case Q4_1 -> Q4_1.quantizeBlock(src, xo, dst, o);
                case Q5_0 -> Q5_0.quantizeBlock(src, xo, dst, o);
                case Q5_1 -> Q5_1.quantizeBlock(src, xo, dst, o);
                case Q4_K -> Q4K.quantizeBlock(src, xo, dst, o);
                case Q5_K -> Q5K.quantizeBlock(src, xo, dst, o);
                case Q6_K -> Q6K.quantizeBlock(src, xo, dst, o);
                default -> throw unsupported(type);
            }
        }
    }

    /** Quantizes src[off .. off+n) into a new byte array of type.bytesFor(n) bytes. */
    public static byte[] quantize(GgmlType type, float[] src, int off, int n) {
        requireWholeBlocks(type, n);
        byte[] out = new byte[(int) type.bytesFor(n)];
        quantize(type, src, off, n, MemorySegment.ofArray(out), 0);
        return out;
    }

    /** Dequantizes n values starting at byte srcOff of src into out[outOff ..]. */
    public static void dequantize(GgmlType type, MemorySegment src, long srcOff, float[] out, int outOff, int n) {
        requireSupported(type);
        requireWholeBlocks(type, n);
        int bs = type.blockSize;
        for (int b = 0; b < n / bs; b++) {
            int yo = outOff + b * bs;
            long o = srcOff + (long) b * type.typeSize;
            switch (type) {
                case F32 -> out[yo] = src.get(Half.LE_FLOAT, o);
                case F16 -> out[yo] = Half.getF16(src, o);
                case BF16 -> out[yo] = Half.getBf16(src, o);
                case Q8_0 -> Q8_0.dequantizeBlock(src, o, out, yo);
                case Q4_0 -> Q4_0.dequantizeBlock(src, o, out, yo);
                case Q4_1 -> Q4_1.dequantizeBlock(src, o, out, yo);
                case Q5_0 -> Q5_0.dequantizeBlock(src, o, out, yo);
                case Q5_1 -> Q5_1.dequantizeBlock(src, o, out, yo);
                case Q4_K -> Q4K.dequantizeBlock(src, o, out, yo);
                case Q5_K -> Q5K.dequantizeBlock(src, o, out, yo);
                case Q6_K -> Q6K.dequantizeBlock(src, o, out, yo);
                default -> throw unsupported(type);
            }
        }
    }

    public static float[] dequantize(GgmlType type, byte[] src, int n) {
        float[] out = new float[n];
        dequantize(type, MemorySegment.ofArray(src), 0, out, 0, n);
        return out;
    }

    static void requireSupported(GgmlType type) {
        if (!type.isSupported()) throw unsupported(type);
    }

    static void requireWholeBlocks(GgmlType type, long n) {
        if (n % type.blockSize != 0) {
            throw new StrataException("row of " + n + " values is not a multiple of the " + type + " block size " + type.blockSize);
        }
    }

    static StrataException unsupported(GgmlType type) {
        return new StrataException("tensor type " + type + " is not supported (supported: F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K)");
    }
}
