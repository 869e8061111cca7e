package dev.strata.tensor.quant;

import java.lang.foreign.MemorySegment;

/** block_q4_1: fp16 d, fp16 m, qs[16] nibbles (low = j, high = j+16); x = d*q + m. Dots against Q8_1. */
public final class Q4_1 {
    private Q4_1() {}

    public static final int BLOCK = 32;
    public static final int BYTES = 20;

    /** quantize_row_q4_1_ref for one block. */
    public static void quantizeBlock(float[] x, int xo, MemorySegment dst, long off) {
        float min = QuantMath.min(x, xo, BLOCK), max = QuantMath.max(x, xo, BLOCK);
        float d = (max - min) / 15;
        float id = d != 0 ? 1.0f / d : 0.0f;
        Half.putF16(dst, off, d);
        Half.putF16(dst, off + 2, min);
        for (int j = 0; j < BLOCK / 2; j++) {
            int q0 = Math.min(15, (byte) (int) ((x[xo + j] - min) * id + 0.5f));
            int q1 = Math.min(15, (byte) (int) ((x[xo + BLOCK / 2 + j] - min) * id + 0.5f));
            Half.putByte(dst, off + 4 + j, q0 | (q1 << 4));
        }
    }

    public static void dequantizeBlock(MemorySegment src, long off, float[] y, int yo) {
        float d = Half.getF16(src, off);
        float m = Half.getF16(src, off + 2);
        for (int j = 0; j < BLOCK / 2; j++) {
            int b = Half.getUByte(src, off + 4 + j);
            y[yo + j] = (b & 0x0F) * d + m;
            y[yo + j + BLOCK / 2] = (b >>> 4) * d + m;
        }
    }

    /** ggml_vec_dot_q4_1_q8_1 (generic): (d_w*d_x)*sumi + m_w*s_x per block. */
    public static float dot(MemorySegment w, long off, int nb, Activations a, int token) {
        int qBase = token * a.cols;
        int dBase = token * nb;
        float sumf = 0;
        for (int b = 0; b < nb; b++) {
            long bo = off + (long) b * BYTES;
            int qo = qBase + b * BLOCK;
            int sumi0 = 0, sumi1 = 0;
            for (int j = 0; j < BLOCK / 2; j++) {
                int v = Half.getUByte(w, bo + 4 + j);
                sumi0 += (v & 0x0F) * a.q[qo + j];
                sumi1 += (v >>> 4) * a.q[qo + j + BLOCK / 2];
            }
            sumf += (Half.getF16(w, bo) * a.d[dBase + b]) * (sumi0 + sumi1) + Half.getF16(w, bo + 2) * a.s[dBase + b];
        }
        return sumf;
    }
}
