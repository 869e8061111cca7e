package dev.strata.tensor.quant;

import dev.strata.StrataException;

/** Converts activation rows to a weight type's vec-dot type the way llama.cpp's CPU backend does. */
public final class ActivationQuantizer {
    private ActivationQuantizer() {}

    /** llama.cpp's type_traits_cpu[t].vec_dot_type. */
    public static GgmlType vecDotType(GgmlType weightType) {
        return switch (weightType) {
            case F32 -> GgmlType.F32;
            case F16 -> GgmlType.F16;
            case BF16 -> GgmlType.BF16;
            case Q4_0, Q5_0, Q8_0 -> GgmlType.Q8_0;
            case Q4_1, Q5_1 -> GgmlType.Q8_1;
            case Q4_K, Q5_K, Q6_K -> GgmlType.Q8_K;
            default -> throw Quants.unsupported(weightType);
        };
    }

    public static Activations prepare(GgmlType weightType, float[] x, int nTokens, int cols) {
        GgmlType dotType = vecDotType(weightType);
        if (cols % dotType.blockSize != 0) {
            throw new StrataException("activation width " + cols + " is not a multiple of the " + dotType + " block size " + dotType.blockSize);
        }
        if ((long) nTokens * cols > x.length) {
            throw new StrataException("activation buffer holds " + x.length + " floats, need " + nTokens + " x " + cols);
        }
        int n = nTokens * cols;
        return switch (dotType) {
            case F32 -> new Activations(dotType, nTokens, cols, java.util.Arrays.copyOf(x, n), null, null, null, null);
            case F16, BF16 -> {
                float[] f = new float[n];
                boolean half = dotType == GgmlType.F16;
                for (int i = 0; i < n; i++) f[i] = half ? Half.roundF16(x[i]) : Half.roundBf16(x[i]);
                yield new Activations(dotType, nTokens, cols, f, null, null, null, null);
            }
            case Q8_0 -> toQ8_0(x, nTokens, cols);
            case Q8_1 -> toQ8_1(x, nTokens, cols);
            default -> toQ8K(x, nTokens, cols);
        };
    }

    private static Activations toQ8_0(float[] x, int nTokens, int cols) {
        int blocks = nTokens * cols / 32;
        byte[] q = new byte[nTokens * cols];
        float[] d = new float[blocks];
        for (int b = 0; b < blocks; b++) d[b] = Q8_0.quantizeBlock(x, b * 32, q, b * 32);
        return new Activations(GgmlType.Q8_0, nTokens, cols, null, q, d, null, null);
    }

    /** quantize_row_q8_1_ref: d and s = d*sum(q) both pass through fp16. */
    private static Activations toQ8_1(float[] x, int nTokens, int cols) {
        int blocks = nTokens * cols / 32;
        byte[] q = new byte[nTokens * cols];
        float[] d = new float[blocks];
        float[] s = new float[blocks];
        for (int b = 0; b < blocks; b++) {
            int o = b * 32;
            float amax = 0;
            for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[o + j]));
            float db = amax / 127;
            float id = db != 0 ? 1.0f / db : 0.0f;
            int sum = 0;
            for (int j = 0; j < 32; j++) {
                q[o + j] = (byte) QuantMath.roundAway(x[o + j] * id);
                sum += q[o + j];
            }
            d[b] = Half.roundF16(db);
            s[b] = Half.roundF16(sum * db);
        }
        return new Activations(GgmlType.Q8_1, nTokens, cols, null, q, d, s, null);
    }

    /** quantize_row_q8_K_ref: fp32 d = max/-127 style scale, bsums of 16 quants. */
    private static Activations toQ8K(float[] x, int nTokens, int cols) {
        int blocks = nTokens * cols / 256;
        byte[] q = new byte[nTokens * cols];
        float[] d = new float[blocks];
        short[] bsums = new short[blocks * 16];
        for (int b = 0; b < blocks; b++) {
            int o = b * 256;
            float max = 0, amax = 0;
            for (int j = 0; j < 256; j++) {
                float ax = Math.abs(x[o + j]);
                if (ax > amax) {
                    amax = ax;
                    max = x[o + j];
                }
            }
            if (amax == 0) continue;
            float iscale = -127.f / max;
            for (int j = 0; j < 256; j++) q[o + j] = (byte) Math.min(127, QuantMath.nearestInt(iscale * x[o + j]));
            for (int j = 0; j < 16; j++) {
                int sum = 0;
                for (int i = 0; i < 16; i++) sum += q[o + 16 * j + i];
                bsums[b * 16 + j] = (short) sum;
            }
            d[b] = 1 / iscale;
        }
        return new Activations(GgmlType.Q8_K, nTokens, cols, null, q, d, null, bsums);
    }
}
