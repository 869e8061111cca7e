package dev.strata.tensor;

import dev.strata.tensor.quant.ActivationQuantizer;
import dev.strata.tensor.quant.Half;
import dev.strata.tensor.quant.Q4K;
import dev.strata.tensor.quant.Q4_0;
import dev.strata.tensor.quant.Q4_1;
import dev.strata.tensor.quant.Q5K;
import dev.strata.tensor.quant.Q5_0;
import dev.strata.tensor.quant.Q5_1;
import dev.strata.tensor.quant.Q6K;
import dev.strata.tensor.quant.Q8_0;
import dev.strata.tensor.quant.Quants;
import java.lang.foreign.MemorySegment;
import dev.strata.tensor.quant.Activations;
import dev.strata.tensor.quant.GgmlType;

/** Plain loops mirroring ggml's generic (non-SIMD) CPU code: the numeric reference. */
public final class ScalarKernels implements KernelProvider {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void matmul(Tensor w, Activations x, float[] out, int outStride, int rowStart, int rowEnd) {
        Kernels.checkMatmul(w, x, out, outStride, rowStart, rowEnd);
        for (int r = rowStart; r < rowEnd; r++) {
            long off = w.rowOffset(r);
            for (int t = 0; t < x.nTokens; t++) out[t * outStride + r] = rowDot(w.type(), w.data(), off, x, t);
        }
    }

    /** One weight row (at byte off) dotted with token t of x, as ggml's generic vec_dot for the type. */
    public static float rowDot(GgmlType type, MemorySegment w, long off, Activations x, int t) {
        int cols = x.cols;
        int nb = cols / type.blockSize;
        return switch (type) {
            case F32, F16, BF16 -> floatRowDot(type, w, off, x.f, t * cols, cols);
            case Q8_0 -> Q8_0.dot(w, off, nb, x, t);
            case Q4_0 -> Q4_0.dot(w, off, nb, x, t);
            case Q4_1 -> Q4_1.dot(w, off, nb, x, t);
            case Q5_0 -> Q5_0.dot(w, off, nb, x, t);
            case Q5_1 -> Q5_1.dot(w, off, nb, x, t);
            case Q4_K -> Q4K.dot(w, off, nb, x, t);
            case Q5_K -> Q5K.dot(w, off, nb, x, t);
            case Q6_K -> Q6K.dot(w, off, nb, x, t);
            default -> throw new dev.strata.StrataException("matmul is not supported for tensor type " + type);
        };
    }

    /** ggml_vec_dot_f32/f16/bf16 (generic): float products summed in double. */
    private static float floatRowDot(GgmlType type, MemorySegment w, long off, float[] x, int xo, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float wi = switch (type) {
                case F32 -> w.get(Half.LE_FLOAT, off + 4L * i);
                case F16 -> Half.getF16(w, off + 2L * i);
                default -> Half.getBf16(w, off + 2L * i);
            };
            sum += wi * x[xo + i];
        }
        return (float) sum;
    }

    @Override
    public void dequantizeRow(Tensor w, long row, float[] out, int outOff) {
        Quants.dequantize(w.type(), w.data(), w.rowOffset(row), out, outOff, w.cols());
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) sum += a[aOff + i] * b[bOff + i];
        return (float) sum;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    @Override
    public void rmsnorm(float[] out, int outOff, float[] x, int xOff, float[] w, int n, float eps) {
        double sum = 0;
        for (int i = 0; i < n; i++) sum += x[xOff + i] * x[xOff + i];
        float scale = rmsScale(sum, n, eps);
        for (int i = 0; i < n; i++) out[outOff + i] = x[xOff + i] * scale * w[i];
    }

    /** ggml_compute_forward_rms_norm: mean in float, scale = 1/sqrtf(mean + eps). */
    static float rmsScale(double sumSquares, int n, float eps) {
        float mean = (float) (sumSquares / n);
        return 1.0f / (float) Math.sqrt(mean + eps);
    }

    @Override
    public void siluMul(float[] gate, int gateOff, float[] up, int upOff, int n) {
        for (int i = 0; i < n; i++) {
            float g = gate[gateOff + i];
            gate[gateOff + i] = g / (1.0f + (float) Math.exp(-g)) * up[upOff + i];
        }
    }
}
