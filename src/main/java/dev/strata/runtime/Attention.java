package dev.strata.runtime;

import dev.strata.model.LayerWeights;
import dev.strata.model.ModelConfig;
import dev.strata.tensor.KernelProvider;

/**
 * Grouped-query attention for a batch of tokens with llama.cpp's roundings: K and V are cached as
 * F16, the query is rounded to F16 before Q.K, and softmax weights are rounded to F16 before
 * weighting V (ggml converts both operands of an F16 matmul).
 */
final class Attention {
    private final ModelConfig c;
    private final Rope rope;
    private final MatMul mm;
    private final KernelProvider k;

    Attention(ModelConfig c, Rope rope, MatMul mm) {
        this.c = c;
        this.rope = rope;
        this.mm = mm;
        this.k = mm.kernels();
    }

    /** x (n tokens at positions pos..) += attention(norm(x)); writes K/V into the step's slot. */
    void apply(LayerWeights w, float[] x, int n, int pos, KvCache cache, int slot, ForwardStats stats) {
        int e = c.embeddingLength(), qDim = c.qDim(), kvDim = c.kvDim(), hd = c.headDim();
        float[] xb = new float[n * e];
        for (int t = 0; t < n; t++) k.rmsnorm(xb, t * e, x, t * e, w.attnNorm(), e, c.rmsEps());
        float[] q = new float[n * qDim], kk = new float[n * kvDim], v = new float[n * kvDim];
        mm.run(w.wq(), xb, n, q, stats);
        mm.run(w.wk(), xb, n, kk, stats);
        mm.run(w.wv(), xb, n, v, stats);
        if (w.bq() != null) {
            addBias(q, w.bq(), n);
            addBias(kk, w.bk(), n);
            addBias(v, w.bv(), n);
        }
        float[] cos = new float[c.ropeDim() / 2], sin = new float[c.ropeDim() / 2];
        float[] keys = cache.keys(slot), values = cache.values(slot);
        for (int t = 0; t < n; t++) {
            if (w.qNorm() != null) {
                for (int h = 0; h < c.headCount(); h++) k.rmsnorm(q, t * qDim + h * hd, q, t * qDim + h * hd, w.qNorm(), hd, c.rmsEps());
                for (int h = 0; h < c.headCountKv(); h++) k.rmsnorm(kk, t * kvDim + h * hd, kk, t * kvDim + h * hd, w.kNorm(), hd, c.rmsEps());
            }
            rope.angles(pos + t, cos, sin);
            for (int h = 0; h < c.headCount(); h++) rope.rotate(q, t * qDim + h * hd, cos, sin);
            for (int h = 0; h < c.headCountKv(); h++) rope.rotate(kk, t * kvDim + h * hd, cos, sin);
            int base = (pos + t) * kvDim;
            for (int i = 0; i < kvDim; i++) {
                keys[base + i] = F16.round(kk[t * kvDim + i]);
                values[base + i] = F16.round(v[t * kvDim + i]);
            }
        }
        for (int i = 0; i < q.length; i++) q[i] = F16.round(q[i]);
        float[] out = new float[n * qDim];
        int heads = c.headCount();
        mm.pool().forRange(n * heads, (s, end) -> {
            float[] scores = new float[pos + n];
            for (int task = s; task < end; task++) attendHead(task / heads, task % heads, pos, q, keys, values, out, scores);
        });
        stats.multiplyAdds += 2L * heads * hd * ((long) n * pos + (long) n * (n + 1) / 2);
        float[] o = new float[n * e];
        mm.run(w.wo(), out, n, o, stats);
        for (int i = 0; i < n * e; i++) x[i] += o[i];
    }

    private void attendHead(int t, int h, int pos, float[] q, float[] keys, float[] values, float[] out, float[] scores) {
        int hd = c.headDim(), kvDim = c.kvDim(), qDim = c.qDim();
        int kvh = h / (c.headCount() / c.headCountKv());
        int qOff = t * qDim + h * hd;
        int len = pos + t + 1;
        float scale = (float) (1.0 / Math.sqrt(hd));
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < len; j++) {
            float sc = k.dot(q, qOff, keys, j * kvDim + kvh * hd, hd) * scale;
            scores[j] = sc;
            if (sc > max) max = sc;
        }
        double sum = 0;
        for (int j = 0; j < len; j++) {
            float ex = (float) Math.exp(scores[j] - max);
            scores[j] = ex;
            sum += ex;
        }
        float inv = (float) (1.0 / sum);
        int oOff = t * qDim + h * hd;
        for (int j = 0; j < len; j++) {
            k.axpy(F16.round(scores[j] * inv), values, j * kvDim + kvh * hd, out, oOff, hd);
        }
    }

    private void addBias(float[] a, float[] bias, int n) {
        int d = bias.length;
        for (int t = 0; t < n; t++) for (int i = 0; i < d; i++) a[t * d + i] += bias[i];
    }
}
