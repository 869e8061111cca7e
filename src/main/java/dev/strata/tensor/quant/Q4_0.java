package dev.strata.tensor.quant;

import java.lang.foreign.MemorySegment;

/** block_q4_0: fp16 d, qs[16] nibbles; element j is the low nibble of qs[j], j+16 the high one; x = d*(q-8). */
public final class Q4_0 {
    private Q4_0() {}

    public static final int BLOCK = 32;
    public static final int BYTES = 18;

    /** quantize_row_q4_0_ref for one block. */
    public static void quantizeBlock(float[] x, int xo, MemorySegment dst, long off) {
        float max = QuantMath.signedAbsMax(x, xo, BLOCK);
        float d = max / -8;
        float id = d != 0 ? 1.0f / d : 0.0f;
        Half.putF16(dst, off, d);
        for (int j = 0; j < BLOCK / 2; j++) {
            int q0 = Math.min(15, (byte) (int) (x[xo + j] * id + 8.5f));
            int q1 = Math.min(15, (byte) (int) (x[xo + BLOCK / 2 + j] * id + 8.5f));
            Half.putByte(dst, off + 2 + j, q0 | (q1 << 4));
        }
    }

    public static void dequantizeBlock(MemorySegment src, long off, float[] y, int yo) {
        float d = Half.getF16(src, off);
        for (int j = 0; j < BLOCK / 2; j++) {
            int b = Half.getUByte(src, off + 2 + j);
            y[yo + j] = ((b & 0x0F) - 8) * d;
            y[yo + j + BLOCK / 2] = ((b >>> 4) - 8) * d;
        }
    }

    /** ggml_vec_dot_q4_0_q8_0 (generic): sumi * d_w * d_x per block, summed in float. */
    public static float dot(MemorySegment w, long off, int nb, Activations a, int token) {
        int qBase = token * a.cols;
        int dBase = token * nb;
        float sumf = 0;
        for (int b = 0; b < nb; b++) {
            long bo = off + (long) b * BYTES;
            int qo = qBase + b * BLOCK;
            int sumi0 = 0, sumi1 = 0;
            for (int j = 0; j < BLOCK / 2; j++) {
                int v = Half.getUByte(w, bo + 2 + j);
                sumi0 += ((v & 0x0F) - 8) * a.q[qo + j];
                sumi1 += ((v >>> 4) - 8) * a.q[qo + j + BLOCK / 2];
            }
            sumf += (sumi0 + sumi1) * Half.getF16(w, bo) * a.d[dBase + b];
        }
        return sumf;
    }
}
