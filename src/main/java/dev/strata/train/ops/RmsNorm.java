package dev.strata.train.ops;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * out = x / sqrt(mean(x²) + eps) ⊙ w, per token row; the reciprocal RMS is saved for backward.
 * Row sums are accumulated in eight float lanes and added up in a fixed order ({@link VecOps#sumLanes}).
 */
public final class RmsNorm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;

    private RmsNorm() {}

    public static void forward(float[] out, float[] x, float[] w, int wOff, float[] rstd, int tokens, int dim, float eps) {
        int vecEnd = dim - dim % 8;
        for (int t = 0; t < tokens; t++) {
            int row = t * dim, i = 0;
            FloatVector acc = FloatVector.zero(S);
            for (; i < vecEnd; i += 8) {
                FloatVector v = FloatVector.fromArray(S, x, row + i);
                acc = v.fma(v, acc);
            }
            float sumSq = VecOps.sumLanes(acc);
            for (; i < dim; i++) sumSq += x[row + i] * x[row + i];
            float r = (float) (1.0 / Math.sqrt((double) sumSq / dim + eps));
            rstd[t] = r;
            FloatVector vr = FloatVector.broadcast(S, r);
            for (i = 0; i < vecEnd; i += 8)
                FloatVector.fromArray(S, x, row + i).mul(vr).mul(FloatVector.fromArray(S, w, wOff + i)).intoArray(out, row + i);
            for (; i < dim; i++) out[row + i] = x[row + i] * r * w[wOff + i];
        }
    }

    /**
     * With n = x·r: dw += Σ_t dout ⊙ n; dx += r · (g - n · mean(g ⊙ n)) where g = dout ⊙ w.
     */
    public static void backward(float[] dx, float[] dw, int dwOff, float[] dout, float[] x, float[] w, int wOff,
                                float[] rstd, int tokens, int dim) {
        int vecEnd = dim - dim % 8;
        for (int t = 0; t < tokens; t++) {
            int row = t * dim, i = 0;
            float r = rstd[t];
            FloatVector vr = FloatVector.broadcast(S, r), acc = FloatVector.zero(S);
            for (; i < vecEnd; i += 8) {
                FloatVector n = FloatVector.fromArray(S, x, row + i).mul(vr);
                FloatVector d = FloatVector.fromArray(S, dout, row + i);
                acc = d.mul(FloatVector.fromArray(S, w, wOff + i)).fma(n, acc);
                d.fma(n, FloatVector.fromArray(S, dw, dwOff + i)).intoArray(dw, dwOff + i);
            }
            float dotGn = VecOps.sumLanes(acc);
            for (; i < dim; i++) {
                float n = x[row + i] * r;
                dotGn += dout[row + i] * w[wOff + i] * n;
                dw[dwOff + i] += dout[row + i] * n;
            }
            float meanGn = dotGn / dim;
            FloatVector vMean = FloatVector.broadcast(S, -meanGn);
            for (i = 0; i < vecEnd; i += 8) {
                FloatVector n = FloatVector.fromArray(S, x, row + i).mul(vr);
                FloatVector g = FloatVector.fromArray(S, dout, row + i).mul(FloatVector.fromArray(S, w, wOff + i));
                n.fma(vMean, g).fma(vr, FloatVector.fromArray(S, dx, row + i)).intoArray(dx, row + i);
            }
            for (; i < dim; i++) {
                float n = x[row + i] * r;
                dx[row + i] += r * (dout[row + i] * w[wOff + i] - n * meanGn);
            }
        }
    }
}
