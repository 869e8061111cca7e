package dev.strata.tensor.quant;

import dev.strata.StrataException;

/** Converts activation rows to a weight type's vec-dot type the way llama.cpp's CPU backend does. */
public final class ActivationQuantizer {
    private ActivationQuantizer() {}

    /** llama.cpp's type_traits_cpu[t].vec_dot_type. */
    public static GgmlType vecDotType(GgmlType weightType) {
        return switch (weightType) {
            case F32 -> GgmlType.F32;
            case F16 -> GgmlType.F16;
            case BF16 -> GgmlType.BF16;
            case Q4_0, Q5_0, Q8_0 -> GgmlType.Q8_0;
            case Q4_1, Q5_1 -> GgmlType.Q8_1;
            case Q4_K, Q5_K, Q6_K -> GgmlType.Q8_K;
            default -> throw Quants.unsupported(weightType);
        };
    }

    public static Activations prepare(GgmlType weightType, float[] x, int nTokens, int cols) {
        return prepareInto(new Activations(), weightType, x, nTokens, cols);
    }

    /** As {@link #prepare}, into dst's reusable buffers (grown only when too small). */
    public static Activations prepareInto(Activations dst, GgmlType weightType, float[] x, int nTokens, int cols) {
        shapeInto(dst, weightType, x, nTokens, cols);
        fillRows(dst, x, 0, nTokens);
        return dst;
    }

    /**
     * dst sized and typed for nTokens rows of weightType's vec-dot type, its values not yet written:
     * {@link #fillRows} over disjoint row ranges (from several threads) then completes it.
     */
    public static Activations shapeInto(Activations dst, GgmlType weightType, float[] x, int nTokens, int cols) {
        GgmlType dotType = vecDotType(weightType);
        if (cols % dotType.blockSize != 0) {
            throw new StrataException("activation width " + cols + " is not a multiple of the " + dotType + " block size " + dotType.blockSize);
        }
        if ((long) nTokens * cols > x.length) {
            throw new StrataException("activation buffer holds " + x.length + " floats, need " + nTokens + " x " + cols);
        }
        int n = nTokens * cols, blocks = n / dotType.blockSize;
        return switch (dotType) {
            case F32, F16, BF16 -> dst.set(dotType, nTokens, cols, dst.floatBuffer(n), null, null, null, null);
            case Q8_0 -> dst.set(dotType, nTokens, cols, null, dst.quantBuffer(n), dst.scaleBuffer(blocks), null, dst.blockSumBuffer(blocks));
            case Q8_1 -> dst.set(dotType, nTokens, cols, null, dst.quantBuffer(n), dst.scaleBuffer(blocks), dst.sumBuffer(blocks), null);
            default -> dst.set(dotType, nTokens, cols, null, dst.quantBuffer(n), dst.scaleBuffer(blocks), null, dst.blockSumBuffer(blocks * 16));
        };
    }

    /** Converts rows [t0, t1) of x into a shaped dst; every block is independent, so ranges may run in parallel. */
    public static void fillRows(Activations dst, float[] x, int t0, int t1) {
        int cols = dst.cols, from = t0 * cols, to = t1 * cols;
        switch (dst.dotType) {
            case F32 -> System.arraycopy(x, from, dst.f, from, to - from);
            case F16 -> { for (int i = from; i < to; i++) dst.f[i] = Half.roundF16(x[i]); }
            case BF16 -> { for (int i = from; i < to; i++) dst.f[i] = Half.roundBf16(x[i]); }
            case Q8_0 -> {
                for (int b = from / 32; b < to / 32; b++) {
                    dst.d[b] = Q8_0.quantizeBlock(x, b * 32, dst.q, b * 32);
                    int sum = 0;
                    for (int j = b * 32; j < b * 32 + 32; j++) sum += dst.q[j];
                    dst.bsums[b] = (short) sum;
                }
            }
            case Q8_1 -> { for (int b = from / 32; b < to / 32; b++) toQ8_1(dst, x, b); }
            default -> { for (int b = from / 256; b < to / 256; b++) toQ8K(dst, x, b); }
        }
    }

    /** quantize_row_q8_1_ref: d and s = d*sum(q) both pass through fp16. */
    private static void toQ8_1(Activations dst, float[] x, int b) {
        byte[] q = dst.q;
        int o = b * 32;
        float amax = 0;
        for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[o + j]));
        float db = amax / 127;
        float id = db != 0 ? 1.0f / db : 0.0f;
        int sum = 0;
        for (int j = 0; j < 32; j++) {
            q[o + j] = (byte) QuantMath.roundAway(x[o + j] * id);
            sum += q[o + j];
        }
        dst.d[b] = Half.roundF16(db);
        dst.s[b] = Half.roundF16(sum * db);
    }

    /** quantize_row_q8_K_ref: fp32 d = max/-127 style scale, bsums of 16 quants. */
    private static void toQ8K(Activations dst, float[] x, int b) {
        byte[] q = dst.q;
        short[] bsums = dst.bsums;
        int o = b * 256;
        float max = 0, amax = 0;
        for (int j = 0; j < 256; j++) {
            float ax = Math.abs(x[o + j]);
            if (ax > amax) {
                amax = ax;
                max = x[o + j];
            }
        }
        if (amax == 0) {
            // reused buffers hold an earlier batch's values: an all-zero block must read as zeros
            java.util.Arrays.fill(q, o, o + 256, (byte) 0);
            java.util.Arrays.fill(bsums, b * 16, b * 16 + 16, (short) 0);
            dst.d[b] = 0;
            return;
        }
        float iscale = -127.f / max;
        for (int j = 0; j < 256; j++) q[o + j] = (byte) Math.min(127, QuantMath.nearestInt(iscale * x[o + j]));
        for (int j = 0; j < 16; j++) {
            int sum = 0;
            for (int i = 0; i < 16; i++) sum += q[o + 16 * j + i];
            bsums[b * 16 + j] = (short) sum;
        }
        dst.d[b] = 1 / iscale;
    }
}
