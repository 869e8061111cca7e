package dev.strata.tensor.quant;

import java.lang.foreign.MemorySegment;

/** The scalar K-quant x Q8_K dot structure of ggml's generic code (8 int lanes, 8 float sums). */
final class KQuantDot {
    private KQuantDot() {}

    interface Levels {
        void fill(MemorySegment src, long off, byte[] a);
    }

    /** Q4_K / Q5_K: 6-bit scale and min per 32 values; the min part goes through Q8_K bsums. */
    static float dotScaleMin(MemorySegment w, long off, int nb, Activations x, int token, int blockBytes, Levels levels) {
        byte[] a = new byte[256];
        float[] sums = new float[8];
        int[] aux32 = new int[8];
        float sumf = 0;
        for (int i = 0; i < nb; i++) {
            long bo = off + (long) i * blockBytes;
            int blk = token * nb + i;
            int qo = blk * 256;
            levels.fill(w, bo, a);
            java.util.Arrays.fill(aux32, 0);
            int sumi = 0;
            for (int j = 0; j < 16; j++) sumi += x.bsums[blk * 16 + j] * Q4K.min(w, bo + Q4K.SCALES, j / 2);
            for (int j = 0; j < 8; j++) {
                int scale = Q4K.scale(w, bo + Q4K.SCALES, j);
                for (int p = 32 * j; p < 32 * j + 32; p++) aux32[p & 7] += scale * (x.q[qo + p] * a[p]);
            }
            float d = Half.getF16(w, bo) * x.d[blk];
            for (int l = 0; l < 8; l++) sums[l] += d * aux32[l];
            float dmin = Half.getF16(w, bo + 2) * x.d[blk];
            sumf -= dmin * sumi;
        }
        for (int l = 0; l < 8; l++) sumf += sums[l];
        return sumf;
    }
}
