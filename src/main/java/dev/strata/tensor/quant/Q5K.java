package dev.strata.tensor.quant;

import java.lang.foreign.MemorySegment;

/**
 * block_q5_K (256 values): fp16 d, fp16 dmin, scales[12] (as Q4_K), qh[32], qs[128]. Like Q4_K
 * with a 5th bit: chunk c of 64 values takes bit 2c of qh[i] for the low-nibble half and 2c+1 for
 * the high-nibble half.
 */
public final class Q5K {
    private Q5K() {}

    public static final int BLOCK = 256;
    public static final int BYTES = 176;
    static final int QH = 16;
    static final int QS = 48;

    /** quantize_row_q5_K_ref for one block. */
    public static void quantizeBlock(float[] x, int xo, MemorySegment dst, long off) {
        byte[] l = new byte[BLOCK];
        Q4K.quantizeScalesAndLevels(x, xo, dst, off, l, 31, -0.5f, 0.1f, 15);
        byte[] qh = new byte[32];
        int m1 = 1, m2 = 2;
        for (int c = 0; c < 4; c++) {
            for (int j = 0; j < 32; j++) {
                int l1 = l[64 * c + j];
                if (l1 > 15) {
                    l1 -= 16;
                    qh[j] |= (byte) m1;
                }
                int l2 = l[64 * c + j + 32];
                if (l2 > 15) {
                    l2 -= 16;
                    qh[j] |= (byte) m2;
                }
                Half.putByte(dst, off + QS + 32 * c + j, l1 | (l2 << 4));
            }
            m1 <<= 2;
            m2 <<= 2;
        }
        for (int j = 0; j < 32; j++) Half.putByte(dst, off + QH + j, qh[j]);
    }

    /** Unsigned 5-bit quants of one block in element order. */
    static void levels(MemorySegment src, long off, byte[] a) {
        for (int c = 0; c < 4; c++) {
            for (int i = 0; i < 32; i++) {
                int b = Half.getUByte(src, off + QS + 32 * c + i);
                int h = Half.getUByte(src, off + QH + i);
                a[64 * c + i] = (byte) ((b & 0xF) + (((h >>> (2 * c)) & 1) << 4));
                a[64 * c + 32 + i] = (byte) ((b >>> 4) + (((h >>> (2 * c + 1)) & 1) << 4));
            }
        }
    }

    public static void dequantizeBlock(MemorySegment src, long off, float[] y, int yo) {
        float d = Half.getF16(src, off), dmin = Half.getF16(src, off + 2);
        byte[] a = new byte[BLOCK];
        levels(src, off, a);
        for (int j = 0; j < 8; j++) {
            float dj = d * Q4K.scale(src, off + Q4K.SCALES, j);
            float mj = dmin * Q4K.min(src, off + Q4K.SCALES, j);
            for (int i = 0; i < 32; i++) y[yo + 32 * j + i] = dj * a[32 * j + i] - mj;
        }
    }

    /** ggml_vec_dot_q5_K_q8_K (generic). */
    public static float dot(MemorySegment w, long off, int nb, Activations x, int token) {
        return KQuantDot.dotScaleMin(w, off, nb, x, token, BYTES, Q5K::levels);
    }
}
