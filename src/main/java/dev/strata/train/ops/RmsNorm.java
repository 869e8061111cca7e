package dev.strata.train.ops;

/** out = x / sqrt(mean(x²) + eps) ⊙ w, per token row; the reciprocal RMS is saved for backward. */
public final class RmsNorm {
    private RmsNorm() {}

    public static void forward(float[] out, float[] x, float[] w, int wOff, float[] rstd, int tokens, int dim, float eps) {
        for (int t = 0; t < tokens; t++) {
            int row = t * dim;
            double sumSq = 0;
            for (int i = 0; i < dim; i++) sumSq += (double) x[row + i] * x[row + i];
            float r = (float) (1.0 / Math.sqrt(sumSq / dim + eps));
            rstd[t] = r;
            for (int i = 0; i < dim; i++) out[row + i] = x[row + i] * r * w[wOff + i];
        }
    }

    /**
     * With n = x·r: dw += Σ_t dout ⊙ n; dx += r · (g - n · mean(g ⊙ n)) where g = dout ⊙ w.
     */
    public static void backward(float[] dx, float[] dw, int dwOff, float[] dout, float[] x, float[] w, int wOff,
                                float[] rstd, int tokens, int dim) {
        for (int t = 0; t < tokens; t++) {
            int row = t * dim;
            float r = rstd[t];
            double dotGn = 0;
            for (int i = 0; i < dim; i++) {
                float n = x[row + i] * r;
                float g = dout[row + i] * w[wOff + i];
                dotGn += (double) g * n;
                dw[dwOff + i] += dout[row + i] * n;
            }
            float meanGn = (float) (dotGn / dim);
            for (int i = 0; i < dim; i++) {
                float n = x[row + i] * r;
                dx[row + i] += r * (dout[row + i] * w[wOff + i] - n * meanGn);
            }
        }
    }
}
