package dev.strata.tensor;

import dev.strata.tensor.quant.Activations;
import dev.strata.tensor.quant.GgmlType;

/**
 * The numeric kernels behind the forward pass. Implementations: {@code scalar} (the reference),
 * {@code panama} (Vector API); later {@code native}. All must agree with scalar within float
 * rounding, and all follow llama.cpp's CPU numerics: activations are first converted to the
 * weight type's "vec dot type" (see {@link Activations}), then dotted block by block.
 *
 * <p>Thread safety: every method is stateless; callers split rows across threads.
 */
public interface KernelProvider {

    String name();

    /**
     * Converts nTokens activation rows (x[t*cols .. t*cols+cols)) to the vec-dot type that
     * weights of {@code weightType} use: F32 stays F32; F16/BF16 round to F16/BF16;
     * Q4_0/Q5_0/Q8_0 quantize to Q8_0; Q4_1/Q5_1 to Q8_1; K-quants to Q8_K.
     */
    default Activations prepare(GgmlType weightType, float[] x, int nTokens, int cols) {
        return prepareInto(new Activations(), weightType, x, nTokens, cols);
    }

    /**
     * As {@link #prepare}, reusing dst's buffers (grown only when too small), so a decode loop
     * converts activations without allocating. Returns dst.
     */
    default Activations prepareInto(Activations dst, GgmlType weightType, float[] x, int nTokens, int cols) {
        return dev.strata.tensor.quant.ActivationQuantizer.prepareInto(dst, weightType, x, nTokens, cols);
    }

    /**
     * True when {@link #prepareInto} for this weight type is exactly {@code ActivationQuantizer}'s
     * conversion, row by row, so a caller may split it: {@code shapeInto}, then {@code fillRows}
     * over disjoint row ranges on several threads (prefill converts 512 rows per matmul).
     */
    default boolean preparesByRows(GgmlType weightType) {
        return false;
    }

    /**
     * out[t*outStride + r] = dot(row r of w, token t of x) for every r in [rowStart, rowEnd) and
     * t in [0, x.nTokens). w is 2-D (ne[0] = x.cols).
     */
    void matmul(Tensor w, Activations x, float[] out, int outStride, int rowStart, int rowEnd);

    /**
     * w, or w with a copy of its weights in the layout this provider's matmul reads fastest,
     * allocated from {@code memory} (owned by the weight store); called once per matmul weight at
     * load. The results of matmul are those of the original layout up to float summation order.
     */
    default Tensor repack(Tensor w, java.lang.foreign.SegmentAllocator memory) {
        return w;
    }

    /** Dequantizes row {@code row} of w (ne[0] elements) into out[outOff ..]. */
    void dequantizeRow(Tensor w, long row, float[] out, int outOff);

    /** sum_i a[aOff+i] * b[bOff+i]. */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /** y[yOff+i] += alpha * x[xOff+i]. */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /** sum_i a[aOff+i] * b_i, where b_i is the little-endian F16 at byte bOff + 2i of b (the KV cache). */
    float dotF16(float[] a, int aOff, java.lang.foreign.MemorySegment b, long bOff, int n);

    /** y[yOff+i] += alpha * x_i, where x_i is the little-endian F16 at byte xOff + 2i of x. */
    void axpyF16(float alpha, java.lang.foreign.MemorySegment x, long xOff, float[] y, int yOff, int n);

    /**
     * scores[sOff + j] = scale * dotF16(q, qOff, keys, keyOff + j * stride, n) for j < count: one
     * query head against count cached F16 keys stride bytes apart.
     */
    default void attentionScores(float[] q, int qOff, java.lang.foreign.MemorySegment keys, long keyOff, long stride, int count,
                                 int n, float scale, float[] scores, int sOff) {
        for (int j = 0; j < count; j++) scores[sOff + j] = dotF16(q, qOff, keys, keyOff + j * stride, n) * scale;
    }

    /** axpyF16(w[wOff + j], values, valueOff + j * stride, out, oOff, n) for j < count, in order. */
    default void attentionValues(float[] w, int wOff, java.lang.foreign.MemorySegment values, long valueOff, long stride, int count,
                                 int n, float[] out, int oOff) {
        for (int j = 0; j < count; j++) axpyF16(w[wOff + j], values, valueOff + j * stride, out, oOff, n);
    }

    /** out[i] = x[i] / sqrt(mean(x^2) + eps) * w[i], with the sum of squares in double as ggml does. */
    void rmsnorm(float[] out, int outOff, float[] x, int xOff, float[] w, int n, float eps);

    /** gate[i] = silu(gate[i]) * up[i]. */
    void siluMul(float[] gate, int gateOff, float[] up, int upOff, int n);

    /** x[off + i] = exp(x[off + i] - shift) for i &lt; n, returning their sum in double: softmax's inner loop. */
    default double expShifted(float[] x, int off, int n, float shift) {
        double sum = 0;
        for (int i = off; i < off + n; i++) {
            float e = (float) Math.exp(x[i] - shift);
            x[i] = e;
            sum += e;
        }
        return sum;
    }
}
