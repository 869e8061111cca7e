package dev.strata.tensor.quant;

import java.lang.foreign.MemorySegment;

/** block_q5_1: fp16 d, fp16 m, uint32 qh, qs[16]; x = d*q + m with q in [0, 31]. Dots against Q8_1. */
public final class Q5_1 {
    private Q5_1() {}

    public static final int BLOCK = 32;
    public static final int BYTES = 24;

    /** quantize_row_q5_1_ref for one block. */
    public static void quantizeBlock(float[] x, int xo, MemorySegment dst, long off) {
        float min = QuantMath.min(x, xo, BLOCK), max = QuantMath.max(x, xo, BLOCK);
        float d = (max - min) / 31;
        float id = d != 0 ? 1.0f / d : 0.0f;
        Half.putF16(dst, off, d);
        Half.putF16(dst, off + 2, min);
        int qh = 0;
        for (int j = 0; j < BLOCK / 2; j++) {
            int q0 = ((int) ((x[xo + j] - min) * id + 0.5f)) & 0xFF;
            int q1 = ((int) ((x[xo + BLOCK / 2 + j] - min) * id + 0.5f)) & 0xFF;
            Half.putByte(dst, off + 8 + j, (q0 & 0x0F) | ((q1 & 0x0F) << 4));
            qh |= ((q0 & 0x10) >>> 4) << j;
            qh |= ((q1 & 0x10) >>> 4) << (j + BLOCK / 2);
        }
        dst.set(Half.LE_INT, off + 4, qh);
    }

    public static void dequantizeBlock(MemorySegment src, long off, float[] y, int yo) {
        float d = Half.getF16(src, off);
        float m = Half.getF16(src, off + 2);
        int qh = src.get(Half.LE_INT, off + 4);
        for (int j = 0; j < BLOCK / 2; j++) {
            int b = Half.getUByte(src, off + 8 + j);
            int h0 = ((qh >>> j) << 4) & 0x10;
            int h1 = (qh >>> (j + 12)) & 0x10;
            y[yo + j] = ((b & 0x0F) | h0) * d + m;
            y[yo + j + BLOCK / 2] = ((b >>> 4) | h1) * d + m;
        }
    }

    /** ggml_vec_dot_q5_1_q8_1 (generic): (d_w*d_x)*sumi + m_w*s_x per block. */
    public static float dot(MemorySegment w, long off, int nb, Activations a, int token) {
        int qBase = token * a.cols;
        int dBase = token * nb;
        float sumf = 0;
        for (int b = 0; b < nb; b++) {
            long bo = off + (long) b * BYTES;
            int qo = qBase + b * BLOCK;
            int qh = w.get(Half.LE_INT, bo + 4);
            int sumi0 = 0, sumi1 = 0;
            for (int j = 0; j < BLOCK / 2; j++) {
                int v = Half.getUByte(w, bo + 8 + j);
                sumi0 += ((v & 0x0F) | (((qh >>> j) << 4) & 0x10)) * a.q[qo + j];
                sumi1 += ((v >>> 4) | ((qh >>> (j + 12)) & 0x10)) * a.q[qo + j + BLOCK / 2];
            }
            sumf += (Half.getF16(w, bo) * a.d[dBase + b]) * (sumi0 + sumi1) + Half.getF16(w, bo + 2) * a.s[dBase + b];
        }
        return sumf;
    }
}
