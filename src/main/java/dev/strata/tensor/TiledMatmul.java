package dev.strata.tensor;

import dev.strata.tensor.quant.Half;
import dev.strata.tensor.quant.Quants;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import dev.strata.tensor.quant.Activations;
import dev.strata.tensor.quant.GgmlType;

/**
 * Batch (prefill) matmul: weights are dequantized once per column chunk into a packed fp32 block
 * of rows, then 4-row x 4-token tiles of 8-lane FMAs run over it, so each weight load feeds four
 * tokens and each activation load four rows. Activations are the already-quantized vec-dot values
 * (q * d), so results equal the per-row integer dots up to float rounding and summation order.
 * Per output the order is fixed (lanes in k order per chunk, chunks in order): bit-deterministic.
 */
final class TiledMatmul {
    private TiledMatmul() {}

    /** Below this many tokens the per-row dots are as fast and need no packing. */
    static final int MIN_TOKENS = 4;
    /** Columns per chunk: a multiple of every block size, so chunks never split a block. */
    private static final int KC = 2048;
    /** Rows per packed block: RB x KC floats (256 KiB) stays in L2 while all tokens pass over it. */
    private static final int RB = 32;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Byte> B64 = ByteVector.SPECIES_64;
    private static final VectorSpecies<Byte> B128 = ByteVector.SPECIES_128;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /**
     * Enough tokens, and activations whose dequantized values carry the whole dot: Q8_1 (for Q4_1,
     * Q5_1) is left to the per-row dots because ggml adds the min through the fp16-rounded block sum s.
     */
    static boolean applies(Activations x) {
        return x.nTokens >= MIN_TOKENS && x.dotType != GgmlType.Q8_1;
    }

    static void matmul(Tensor w, Activations x, float[] out, int outStride, int rowStart, int rowEnd) {
        int n = x.nTokens, cols = x.cols;
        float[] xf = activationValues(x);
        float[] packed = new float[RB * Math.min(KC, cols)];
        for (int k0 = 0; k0 < cols; k0 += KC) {
            int kc = Math.min(KC, cols - k0);
            boolean first = k0 == 0;
            for (int r0 = rowStart; r0 < rowEnd; r0 += RB) {
                int rb = Math.min(RB, rowEnd - r0);
                for (int i = 0; i < rb; i++) packRow(w, r0 + i, k0, kc, packed, i * kc);
                for (int t0 = 0; t0 < n; t0 += 4) {
                    int tn = Math.min(4, n - t0);
                    for (int i = 0; i < rb; i += 4) {
                        int rn = Math.min(4, rb - i);
                        int xo = t0 * cols + k0;
                        int oo = t0 * outStride + r0 + i;
                        if (tn == 4 && rn == 4) tile4x4(packed, i * kc, kc, xf, xo, cols, out, oo, outStride, first);
                        else edge(packed, i * kc, kc, rn, xf, xo, cols, tn, out, oo, outStride, first);
                    }
                }
            }
        }
    }

    /** Activation values the integer dots would see: q * d per block, or the (rounded) floats. */
    static float[] activationValues(Activations x) {
        if (x.q == null) return x.f;
        int bs = x.dotType.blockSize, total = x.nTokens * x.cols;
        float[] xf = new float[total];
        for (int b = 0; b < total / bs; b++) {
            FloatVector d = FloatVector.broadcast(F, x.d[b]);
            int o = b * bs;
            for (int i = 0; i < bs; i += 8) {
                ((FloatVector) ByteVector.fromArray(B64, x.q, o + i).convertShape(VectorOperators.B2F, F, 0)).mul(d).intoArray(xf, o + i);
            }
        }
        return xf;
    }

    /** Dequantizes columns [k0, k0+kc) of row r into dst[off ..]. */
    private static void packRow(Tensor w, int r, int k0, int kc, float[] dst, int off) {
        GgmlType type = w.type();
        MemorySegment data = w.data();
        long base = w.rowOffset(r) + (long) (k0 / type.blockSize) * type.typeSize;
        switch (type) {
            case Q8_0 -> {
                for (int b = 0; b < kc / 32; b++) {
                    long bo = base + 34L * b;
                    FloatVector d = FloatVector.broadcast(F, Half.getF16(data, bo));
                    for (int j = 0; j < 4; j++) {
                        ByteVector q = ByteVector.fromMemorySegment(B64, data, bo + 2 + 8 * j, LE);
                        ((FloatVector) q.convertShape(VectorOperators.B2F, F, 0)).mul(d).intoArray(dst, off + 32 * b + 8 * j);
                    }
                }
            }
            case Q4_0 -> {
                for (int b = 0; b < kc / 32; b++) {
                    long bo = base + 18L * b;
                    FloatVector d = FloatVector.broadcast(F, Half.getF16(data, bo));
                    ByteVector raw = ByteVector.fromMemorySegment(B128, data, bo + 2, LE);
                    ByteVector lo = raw.and((byte) 0x0F).sub((byte) 8);
                    ByteVector hi = raw.lanewise(VectorOperators.LSHR, 4).sub((byte) 8);
                    int o = off + 32 * b;
                    ((FloatVector) lo.convertShape(VectorOperators.B2F, F, 0)).mul(d).intoArray(dst, o);
                    ((FloatVector) lo.convertShape(VectorOperators.B2F, F, 1)).mul(d).intoArray(dst, o + 8);
                    ((FloatVector) hi.convertShape(VectorOperators.B2F, F, 0)).mul(d).intoArray(dst, o + 16);
                    ((FloatVector) hi.convertShape(VectorOperators.B2F, F, 1)).mul(d).intoArray(dst, o + 24);
                }
            }
            default -> Quants.dequantize(type, data, base, dst, off, kc);
        }
    }

    /** out[t][r] (+)= packed row r . token t over one chunk, for a full 4x4 tile. */
    private static void tile4x4(float[] p, int po, int kc, float[] x, int xo, int cols, float[] out, int oo, int stride, boolean first) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int bound = kc & ~7;
        for (int k = 0; k < bound; k += 8) {
            FloatVector w0 = FloatVector.fromArray(F, p, po + k);
            FloatVector w1 = FloatVector.fromArray(F, p, po + kc + k);
            FloatVector w2 = FloatVector.fromArray(F, p, po + 2 * kc + k);
            FloatVector w3 = FloatVector.fromArray(F, p, po + 3 * kc + k);
            FloatVector x0 = FloatVector.fromArray(F, x, xo + k);
            a00 = w0.fma(x0, a00); a10 = w1.fma(x0, a10); a20 = w2.fma(x0, a20); a30 = w3.fma(x0, a30);
            FloatVector x1 = FloatVector.fromArray(F, x, xo + cols + k);
            a01 = w0.fma(x1, a01); a11 = w1.fma(x1, a11); a21 = w2.fma(x1, a21); a31 = w3.fma(x1, a31);
            FloatVector x2 = FloatVector.fromArray(F, x, xo + 2 * cols + k);
            a02 = w0.fma(x2, a02); a12 = w1.fma(x2, a12); a22 = w2.fma(x2, a22); a32 = w3.fma(x2, a32);
            FloatVector x3 = FloatVector.fromArray(F, x, xo + 3 * cols + k);
            a03 = w0.fma(x3, a03); a13 = w1.fma(x3, a13); a23 = w2.fma(x3, a23); a33 = w3.fma(x3, a33);
        }
        // spilled to an array and summed here: vector-typed helper calls may not inline (then box)
        float[] lanes = new float[128];
        a00.intoArray(lanes, 0); a10.intoArray(lanes, 8); a20.intoArray(lanes, 16); a30.intoArray(lanes, 24);
        a01.intoArray(lanes, 32); a11.intoArray(lanes, 40); a21.intoArray(lanes, 48); a31.intoArray(lanes, 56);
        a02.intoArray(lanes, 64); a12.intoArray(lanes, 72); a22.intoArray(lanes, 80); a32.intoArray(lanes, 88);
        a03.intoArray(lanes, 96); a13.intoArray(lanes, 104); a23.intoArray(lanes, 112); a33.intoArray(lanes, 120);
        for (int t = 0; t < 4; t++) {
            for (int i = 0; i < 4; i++) {
                int l = 32 * t + 8 * i;
                float s = 0;
                for (int j = 0; j < 8; j++) s += lanes[l + j];
                for (int k = bound; k < kc; k++) s += p[po + i * kc + k] * x[xo + t * cols + k];
                int o = oo + t * stride + i;
                out[o] = first ? s : out[o] + s;
            }
        }
    }

    /** Partial tiles at the row or token edge: one packed-row dot per (row, token). */
    private static void edge(float[] p, int po, int kc, int rn, float[] x, int xo, int cols, int tn, float[] out, int oo, int stride, boolean first) {
        int bound = kc & ~7;
        float[] lanes = new float[8];
        for (int t = 0; t < tn; t++) {
            for (int i = 0; i < rn; i++) {
                FloatVector acc = FloatVector.zero(F);
                int pr = po + i * kc, xr = xo + t * cols;
                for (int k = 0; k < bound; k += 8) acc = FloatVector.fromArray(F, p, pr + k).fma(FloatVector.fromArray(F, x, xr + k), acc);
                acc.intoArray(lanes, 0);
                float s = 0;
                for (int j = 0; j < 8; j++) s += lanes[j];
                for (int k = bound; k < kc; k++) s += p[pr + k] * x[xr + k];
                int o = oo + t * stride + i;
                out[o] = first ? s : out[o] + s;
            }
        }
    }
}
