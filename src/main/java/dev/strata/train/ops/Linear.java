package dev.strata.train.ops;

/**
 * A bias-free linear layer y = x·Wᵀ with W stored row-major as [out][in] (GGML ne = [in, out]).
 * Backward accumulates into dx and dW, so callers can sum contributions from several paths.
 */
public final class Linear {
    private Linear() {}

    /** y[t][o] = Σ_i x[t][i] · W[o][i] for t < tokens. */
    public static void forward(Gemm gemm, float[] y, int yOff, float[] x, int xOff, float[] w, int wOff,
                               int tokens, int in, int out) {
        gemm.multiply(tokens, out, in, x, xOff, in, 1, w, wOff, 1, in, y, yOff, out, false);
    }

    /** dx[t][i] += Σ_o dy[t][o] · W[o][i]; dW[o][i] += Σ_t dy[t][o] · x[t][i]. dx may be null. */
    public static void backward(Gemm gemm, float[] dx, int dxOff, float[] dw, int dwOff, float[] dy, int dyOff,
                                float[] x, int xOff, float[] w, int wOff, int tokens, int in, int out) {
        if (dx != null) gemm.multiply(tokens, in, out, dy, dyOff, out, 1, w, wOff, in, 1, dx, dxOff, in, true);
        gemm.multiply(out, in, tokens, dy, dyOff, 1, out, x, xOff, in, 1, dw, dwOff, in, true);
    }

    /**
     * As {@link #backwardPrepacked}, with x also packed, by {@code Gemm.packAll(.., x, 0, in, 1, tokens, in)}:
     * worth it when several projections of one input (q, k, v; gate, up) each need dW.
     */
    public static void backwardPrepackedInput(Gemm gemm, float[] dx, float[] dw, int dwOff, float[] dy, float[] packedX,
                                              float[] packedW, int packedWOff, int tokens, int in, int out, boolean accumulateDx) {
        if (dx != null) gemm.multiplyPrepacked(tokens, in, out, dy, 0, out, 1, packedW, packedWOff, dx, 0, in, accumulateDx);
        gemm.multiplyPrepacked(out, in, tokens, dy, 0, 1, out, packedX, 0, dw, dwOff, in, true);
    }

    /** As {@link #forward}, with W already packed by {@code Gemm.packAll(.., W, 0, 1, in, in, out)}. */
    public static void forwardPrepacked(Gemm gemm, float[] y, int yOff, float[] x, int xOff, float[] packed, int packedOff,
                                        int tokens, int in, int out) {
        gemm.multiplyPrepacked(tokens, out, in, x, xOff, in, 1, packed, packedOff, y, yOff, out, false);
    }

    /**
     * As {@link #backward}, with W for the input gradient packed by {@code Gemm.packAll(.., W, 0, in, 1, out, in)};
     * dx is overwritten instead of accumulated into unless accumulateDx.
     */
    public static void backwardPrepacked(Gemm gemm, float[] dx, int dxOff, float[] dw, int dwOff, float[] dy, int dyOff,
                                         float[] x, int xOff, float[] packed, int packedOff, int tokens, int in, int out,
                                         boolean accumulateDx) {
        if (dx != null) gemm.multiplyPrepacked(tokens, in, out, dy, dyOff, out, 1, packed, packedOff, dx, dxOff, in, accumulateDx);
        gemm.multiply(out, in, tokens, dy, dyOff, 1, out, x, xOff, in, 1, dw, dwOff, in, true);
    }
}
