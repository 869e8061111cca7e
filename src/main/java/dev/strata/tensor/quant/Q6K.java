package dev.strata.tensor.quant;

import java.lang.foreign.MemorySegment;

/**
 * block_q6_K (256 values): ql[128] low nibbles, qh[64] 2-bit highs, int8 scales[16] (one per 16
 * values), fp16 d; x = d*scale*(q-32). Half n (128 values) uses ql[64n..], qh[32n..]: value
 * 128n+32g+i takes nibble (g&1 ? ql[i+32] : ql[i]) (low for g<2, high otherwise) and bits 2g of qh[i].
 */
public final class Q6K {
    private Q6K() {}

    public static final int BLOCK = 256;
    public static final int BYTES = 210;
    static final int QH = 128;
    static final int SCALES = 192;
    static final int D = 208;

    /** quantize_row_q6_K_ref for one block. */
    public static void quantizeBlock(float[] x, int xo, MemorySegment dst, long off) {
        byte[] l = new byte[BLOCK];
        float[] scales = new float[16];
        float maxScale = 0, maxAbsScale = 0;
        for (int ib = 0; ib < 16; ib++) {
            float scale = QuantMath.makeQxQuants(16, 32, x, xo + 16 * ib, l, 16 * ib);
            scales[ib] = scale;
            if (Math.abs(scale) > maxAbsScale) {
                maxAbsScale = Math.abs(scale);
                maxScale = scale;
            }
        }
        if (maxAbsScale < QuantMath.GROUP_MAX_EPS) {
            dst.asSlice(off, BYTES).fill((byte) 0);
            return;
        }
        float iscale = -128.f / maxScale;
        Half.putF16(dst, off + D, 1 / iscale);
        for (int ib = 0; ib < 16; ib++) {
            Half.putByte(dst, off + SCALES + ib, Math.min(127, QuantMath.nearestInt(iscale * scales[ib])));
        }
        float dAll = Half.getF16(dst, off + D);
        for (int j = 0; j < 16; j++) {
            float d = dAll * Half.getByte(dst, off + SCALES + j);
            if (d == 0) continue;
            for (int i = 0; i < 16; i++) {
                int q = QuantMath.nearestInt(x[xo + 16 * j + i] / d);
                l[16 * j + i] = (byte) (Math.max(-32, Math.min(31, q)) + 32);
            }
        }
        for (int n = 0; n < 2; n++) {
            int lb = 128 * n;
            for (int i = 0; i < 32; i++) {
                int q1 = l[lb + i], q2 = l[lb + i + 32], q3 = l[lb + i + 64], q4 = l[lb + i + 96];
                Half.putByte(dst, off + 64 * n + i, (q1 & 0xF) | ((q3 & 0xF) << 4));
                Half.putByte(dst, off + 64 * n + i + 32, (q2 & 0xF) | ((q4 & 0xF) << 4));
                Half.putByte(dst, off + QH + 32 * n + i, (q1 >> 4) | ((q2 >> 4) << 2) | ((q3 >> 4) << 4) | ((q4 >> 4) << 6));
            }
        }
    }

    /** Signed quants (q - 32) of one block in element order. */
    static void levels(MemorySegment src, long off, byte[] a) {
        for (int n = 0; n < 2; n++) {
            for (int i = 0; i < 32; i++) {
                int lo = Half.getUByte(src, off + 64 * n + i);
                int hi = Half.getUByte(src, off + 64 * n + i + 32);
                int h = Half.getUByte(src, off + QH + 32 * n + i);
                int e = 128 * n + i;
                a[e] = (byte) (((lo & 0xF) | ((h & 3) << 4)) - 32);
                a[e + 32] = (byte) (((hi & 0xF) | (((h >>> 2) & 3) << 4)) - 32);
                a[e + 64] = (byte) (((lo >>> 4) | (((h >>> 4) & 3) << 4)) - 32);
                a[e + 96] = (byte) (((hi >>> 4) | (((h >>> 6) & 3) << 4)) - 32);
            }
        }
    }

    public static void dequantizeBlock(MemorySegment src, long off, float[] y, int yo) {
        float d = Half.getF16(src, off + D);
        byte[] a = new byte[BLOCK];
        levels(src, off, a);
        for (int e = 0; e < BLOCK; e++) y[yo + e] = d * Half.getByte(src, off + SCALES + e / 16) * a[e];
    }

    /** ggml_vec_dot_q6_K_q8_K (generic), including its eight-lane float accumulation order. */
    public static float dot(MemorySegment w, long off, int nb, Activations x, int token) {
        byte[] a = new byte[BLOCK];
        float[] sums = new float[8];
        int[] aux32 = new int[8];
        for (int i = 0; i < nb; i++) {
            long bo = off + (long) i * BYTES;
            int blk = token * nb + i;
            int qo = blk * BLOCK;
            levels(w, bo, a);
            java.util.Arrays.fill(aux32, 0);
            for (int j = 0; j < 16; j++) {
                int scale = Half.getByte(w, bo + SCALES + j);
                for (int p = 16 * j; p < 16 * j + 16; p++) aux32[p & 7] += scale * (x.q[qo + p] * a[p]);
            }
            float d = Half.getF16(w, bo + D) * x.d[blk];
            for (int l = 0; l < 8; l++) sums[l] += d * aux32[l];
        }
        float sumf = 0;
        for (int l = 0; l < 8; l++) sumf += sums[l];
        return sumf;
    }
}
