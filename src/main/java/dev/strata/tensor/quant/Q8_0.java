package dev.strata.tensor.quant;

import java.lang.foreign.MemorySegment;

/** block_q8_0: fp16 d, int8 qs[32]; x = d * q. Also the activation type for Q4_0/Q5_0/Q8_0 weights. */
public final class Q8_0 {
    private Q8_0() {}

    public static final int BLOCK = 32;
    public static final int BYTES = 34;

    /**
     * quantize_row_q8_0_ref for one block into q[qo..qo+32); returns d rounded through fp16
     * (the value a block_q8_0 stores).
     */
    public static float quantizeBlock(float[] x, int xo, byte[] q, int qo) {
        float amax = 0;
        for (int j = 0; j < BLOCK; j++) amax = Math.max(amax, Math.abs(x[xo + j]));
        float d = amax / 127;
        float id = d != 0 ? 1.0f / d : 0.0f;
        for (int j = 0; j < BLOCK; j++) q[qo + j] = (byte) QuantMath.roundAway(x[xo + j] * id);
        return Half.roundF16(d);
    }

    public static void quantizeBlock(float[] x, int xo, MemorySegment dst, long off) {
        byte[] q = new byte[BLOCK];
        float d = quantizeBlock(x, xo, q, 0);
        Half.putF16(dst, off, d);
        MemorySegment.copy(q, 0, dst, java.lang.foreign.ValueLayout.JAVA_BYTE, off + 2, BLOCK);
    }

    public static void dequantizeBlock(MemorySegment src, long off, float[] y, int yo) {
        float d = Half.getF16(src, off);
        for (int j = 0; j < BLOCK; j++) y[yo + j] = Half.getByte(src, off + 2 + j) * d;
    }

    /** ggml_vec_dot_q8_0_q8_0 (generic): per block sumi * (d_w * d_x), summed in float. */
    public static float dot(MemorySegment w, long off, int nb, Activations a, int token) {
        int qBase = token * a.cols;
        int dBase = token * nb;
        float sumf = 0;
        for (int b = 0; b < nb; b++) {
            long bo = off + (long) b * BYTES;
            int qo = qBase + b * BLOCK;
            int sumi = 0;
            for (int j = 0; j < BLOCK; j++) sumi += Half.getByte(w, bo + 2 + j) * a.q[qo + j];
            sumf += sumi * (Half.getF16(w, bo) * a.d[dBase + b]);
        }
        return sumf;
    }
}
