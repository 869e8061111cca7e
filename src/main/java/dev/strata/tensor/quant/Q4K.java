package dev.strata.tensor.quant;

import java.lang.foreign.MemorySegment;

/**
 * block_q4_K (256 values): fp16 d, fp16 dmin, scales[12] (eight 6-bit scale/min pairs, see
 * {@link #scale}/{@link #min}), qs[128]. Sub-block j (32 values) is x = d*sc_j*q - dmin*m_j; chunk c
 * of 64 values uses qs[32c..32c+32): low nibbles for sub-block 2c, high nibbles for 2c+1.
 */
public final class Q4K {
    private Q4K() {}

    public static final int BLOCK = 256;
    public static final int BYTES = 144;
    static final int SCALES = 4;
    static final int QS = 16;

    /** get_scale_min_k4 scale half, for sub-block j of the 12 scale bytes at off. */
    public static int scale(MemorySegment s, long off, int j) {
        if (j < 4) return Half.getUByte(s, off + j) & 63;
        return (Half.getUByte(s, off + j + 4) & 0xF) | ((Half.getUByte(s, off + j - 4) >>> 6) << 4);
    }

    /** get_scale_min_k4 min half. */
    public static int min(MemorySegment s, long off, int j) {
        if (j < 4) return Half.getUByte(s, off + j + 4) & 63;
        return (Half.getUByte(s, off + j + 4) >>> 4) | ((Half.getUByte(s, off + j) >>> 6) << 4);
    }

    /** Packs 6-bit scales and mins the way quantize_row_q4_K_ref / q5_K_ref do. */
    static void packScales(int[] ls, int[] lm, MemorySegment dst, long off) {
        byte[] sc = new byte[12];
        for (int j = 0; j < 8; j++) {
            if (j < 4) {
                sc[j] = (byte) ls[j];
                sc[j + 4] = (byte) lm[j];
            } else {
                sc[j + 4] = (byte) ((ls[j] & 0xF) | ((lm[j] & 0xF) << 4));
                sc[j - 4] |= (byte) ((ls[j] >>> 4) << 6);
                sc[j] |= (byte) ((lm[j] >>> 4) << 6);
            }
        }
        for (int j = 0; j < 12; j++) Half.putByte(dst, off + j, sc[j]);
    }

    /**
     * The scale/min search shared by Q4_K and Q5_K refs: fills l[0..256) with quants in [0, nmax],
     * writes d, dmin and scales at off. rmin/rdelta/nstep are make_qkx2_quants' search settings.
     */
    static void quantizeScalesAndLevels(float[] x, int xo, MemorySegment dst, long off, byte[] l, int nmax,
                                        float rmin, float rdelta, int nstep) {
        float[] mins = new float[8], scales = new float[8], weights = new float[32];
        byte[] laux = new byte[32];
        float maxScale = 0, maxMin = 0;
        for (int j = 0; j < 8; j++) {
            float sumX2 = 0;
            for (int i = 0; i < 32; i++) sumX2 += x[xo + 32 * j + i] * x[xo + 32 * j + i];
            float avX = (float) Math.sqrt(sumX2 / 32);
            for (int i = 0; i < 32; i++) weights[i] = avX + Math.abs(x[xo + 32 * j + i]);
            scales[j] = QuantMath.makeQkx2Quants(32, nmax, x, xo + 32 * j, weights, l, 32 * j, mins, j, laux, rmin, rdelta, nstep);
            if (scales[j] > maxScale) maxScale = scales[j];
            if (mins[j] > maxMin) maxMin = mins[j];
        }
        float invScale = maxScale > 0 ? 63.f / maxScale : 0.f;
        float invMin = maxMin > 0 ? 63.f / maxMin : 0.f;
        int[] ls = new int[8], lm = new int[8];
        for (int j = 0; j < 8; j++) {
            ls[j] = Math.min(63, QuantMath.nearestInt(invScale * scales[j]) & 0xFF);
            lm[j] = Math.min(63, QuantMath.nearestInt(invMin * mins[j]) & 0xFF);
        }
        packScales(ls, lm, dst, off + SCALES);
        Half.putF16(dst, off, maxScale / 63.f);
        Half.putF16(dst, off + 2, maxMin / 63.f);
        float dAll = Half.getF16(dst, off), dMinAll = Half.getF16(dst, off + 2);
        for (int j = 0; j < 8; j++) {
            float d = dAll * scale(dst, off + SCALES, j);
            if (d == 0) continue;
            float dm = dMinAll * min(dst, off + SCALES, j);
            for (int i = 0; i < 32; i++) {
                int q = QuantMath.nearestInt((x[xo + 32 * j + i] + dm) / d);
                l[32 * j + i] = (byte) Math.max(0, Math.min(nmax, q));
            }
        }
    }

    /** quantize_row_q4_K_ref for one block. */
    public static void quantizeBlock(float[] x, int xo, MemorySegment dst, long off) {
        byte[] l = new byte[BLOCK];
        quantizeScalesAndLevels(x, xo, dst, off, l, 15, -1f, 0.1f, 20);
        for (int c = 0; c < 4; c++) {
            for (int i = 0; i < 32; i++) Half.putByte(dst, off + QS + 32 * c + i, l[64 * c + i] | (l[64 * c + 32 + i] << 4));
        }
    }

    /** Unsigned quants of one block in element order. */
    static void levels(MemorySegment src, long off, byte[] a) {
        for (int c = 0; c < 4; c++) {
            for (int i = 0; i < 32; i++) {
                int b = Half.getUByte(src, off + QS + 32 * c + i);
                a[64 * c + i] = (byte) (b & 0xF);
                a[64 * c + 32 + i] = (byte) (b >>> 4);
            }
        }
    }

    public static void dequantizeBlock(MemorySegment src, long off, float[] y, int yo) {
        float d = Half.getF16(src, off), dmin = Half.getF16(src, off + 2);
        byte[] a = new byte[BLOCK];
        levels(src, off, a);
        for (int j = 0; j < 8; j++) {
            float dj = d * scale(src, off + SCALES, j);
            float mj = dmin * min(src, off + SCALES, j);
            for (int i = 0; i < 32; i++) y[yo + 32 * j + i] = dj * a[32 * j + i] - mj;
        }
    }

    /** ggml_vec_dot_q4_K_q8_K (generic), including its eight-lane float accumulation order. */
    public static float dot(MemorySegment w, long off, int nb, Activations x, int token) {
        return KQuantDot.dotScaleMin(w, off, nb, x, token, BYTES, Q4K::levels);
    }
}
