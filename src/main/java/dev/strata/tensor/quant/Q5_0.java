package dev.strata.tensor.quant;

import java.lang.foreign.MemorySegment;

/**
 * block_q5_0: fp16 d, uint32 qh (bit j = 5th bit of element j), qs[16] low nibbles (low = j,
 * high = j+16); x = d*(q-16).
 */
public final class Q5_0 {
    private Q5_0() {}

    public static final int BLOCK = 32;
    public static final int BYTES = 22;

    /** quantize_row_q5_0_ref for one block. */
    public static void quantizeBlock(float[] x, int xo, MemorySegment dst, long off) {
        float max = QuantMath.signedAbsMax(x, xo, BLOCK);
        float d = max / -16;
        float id = d != 0 ? 1.0f / d : 0.0f;
        Half.putF16(dst, off, d);
        int qh = 0;
        for (int j = 0; j < BLOCK / 2; j++) {
            int q0 = Math.min(31, (byte) (int) (x[xo + j] * id + 16.5f));
            int q1 = Math.min(31, (byte) (int) (x[xo + BLOCK / 2 + j] * id + 16.5f));
            Half.putByte(dst, off + 6 + j, (q0 & 0x0F) | ((q1 & 0x0F) << 4));
            qh |= ((q0 & 0x10) >>> 4) << j;
            qh |= ((q1 & 0x10) >>> 4) << (j + BLOCK / 2);
        }
        dst.set(Half.LE_INT, off + 2, qh);
    }

    public static void dequantizeBlock(MemorySegment src, long off, float[] y, int yo) {
        float d = Half.getF16(src, off);
        int qh = src.get(Half.LE_INT, off + 2);
        for (int j = 0; j < BLOCK / 2; j++) {
            int b = Half.getUByte(src, off + 6 + j);
            int h0 = ((qh >>> j) << 4) & 0x10;
            int h1 = (qh >>> (j + 12)) & 0x10;
            y[yo + j] = (((b & 0x0F) | h0) - 16) * d;
            y[yo + j + BLOCK / 2] = (((b >>> 4) | h1) - 16) * d;
        }
    }

    /** ggml_vec_dot_q5_0_q8_0 (generic): (d_w*d_x)*sumi per block. */
    public static float dot(MemorySegment w, long off, int nb, Activations a, int token) {
        int qBase = token * a.cols;
        int dBase = token * nb;
        float sumf = 0;
        for (int b = 0; b < nb; b++) {
            long bo = off + (long) b * BYTES;
            int qo = qBase + b * BLOCK;
            int qh = w.get(Half.LE_INT, bo + 2);
            int sumi0 = 0, sumi1 = 0;
            for (int j = 0; j < BLOCK / 2; j++) {
                int v = Half.getUByte(w, bo + 6 + j);
                int x0 = ((v & 0x0F) | (((qh >>> j) << 4) & 0x10)) - 16;
                int x1 = ((v >>> 4) | ((qh >>> (j + 12)) & 0x10)) - 16;
                sumi0 += x0 * a.q[qo + j];
                sumi1 += x1 * a.q[qo + j + BLOCK / 2];
            }
            sumf += (Half.getF16(w, bo) * a.d[dBase + b]) * (sumi0 + sumi1);
        }
        return sumf;
    }
}
