package dev.strata.runtime;

import dev.strata.model.LayerWeights;
import dev.strata.model.ModelConfig;
import dev.strata.tensor.KernelProvider;
import java.util.Arrays;

/**
 * Grouped-query attention for a batch of rows with llama.cpp's roundings: K and V are cached as
 * F16 (read in place by the kernels' F16 dot and axpy), the query is rounded to F16 before Q.K, and softmax weights are rounded to F16 before
 * weighting V (ggml converts both operands of an F16 matmul). The projections run over all rows
 * of the batch at once; each row then attends over its own sequence's KV up to its own position.
 */
final class Attention {
    private final ModelConfig c;
    private final Rope rope;
    private final MatMul mm;
    private final KernelProvider k;

    /** Softmax scores of one worker thread, grown with the longest context seen. */
    private static final ThreadLocal<float[][]> SCORES = ThreadLocal.withInitial(() -> new float[][] {new float[0]});

    /** One thread's attention in flight: (row, head) tasks handed to the pool without a capturing lambda. */
    final class Job implements WorkerPool.RangeTask {
        private float[] q, out;
        private int slot;
        private Workspace ws;

        @Override
        public void run(int start, int end) {
            int heads = c.headCount();
            float[][] holder = SCORES.get();
            for (int task = start; task < end; task++) {
                int row = task / heads;
                int len = ws.rowPos[row] + 1;
                if (holder[0].length < len) holder[0] = new float[Math.max(len, 2 * holder[0].length)];
                attendHead(row, task % heads, len, q, ws.rowSeq[row].cache(), slot, out, holder[0]);
            }
        }
    }

    Attention(ModelConfig c, Rope rope, MatMul mm) {
        this.c = c;
        this.rope = rope;
        this.mm = mm;
        this.k = mm.kernels();
    }

    /** x (n rows) += attention(norm(x)); writes each row's K/V into its sequence's slot at its position. */
    void apply(Workspace ws, LayerWeights w, float[] x, int n, int slot, ForwardStats stats) {
        int e = c.embeddingLength(), qDim = c.qDim(), kvDim = c.kvDim(), hd = c.headDim();
        float[] xb = ws.xb = Workspace.grow(ws.xb, n * e);
        for (int t = 0; t < n; t++) k.rmsnorm(xb, t * e, x, t * e, w.attnNorm(), e, c.rmsEps());
        float[] q = ws.q = Workspace.grow(ws.q, n * qDim);
        float[] kk = ws.k = Workspace.grow(ws.k, n * kvDim);
        float[] v = ws.v = Workspace.grow(ws.v, n * kvDim);
        mm.runShared(w.wq(), q, w.wk(), kk, w.wv(), v, xb, n, stats, ws, ws.rowEntry);
        if (w.bq() != null) {
            addBias(q, w.bq(), n);
            addBias(kk, w.bk(), n);
            addBias(v, w.bv(), n);
        }
        float[] cos = ws.cos = Workspace.grow(ws.cos, c.ropeDim() / 2), sin = ws.sin = Workspace.grow(ws.sin, c.ropeDim() / 2);
        long attended = 0;
        for (int t = 0; t < n; t++) {
            if (w.qNorm() != null) {
                for (int h = 0; h < c.headCount(); h++) k.rmsnorm(q, t * qDim + h * hd, q, t * qDim + h * hd, w.qNorm(), hd, c.rmsEps());
                for (int h = 0; h < c.headCountKv(); h++) k.rmsnorm(kk, t * kvDim + h * hd, kk, t * kvDim + h * hd, w.kNorm(), hd, c.rmsEps());
            }
            int pos = ws.rowPos[t];
            rope.angles(pos, cos, sin);
            for (int h = 0; h < c.headCount(); h++) rope.rotate(q, t * qDim + h * hd, cos, sin);
            for (int h = 0; h < c.headCountKv(); h++) rope.rotate(kk, t * kvDim + h * hd, cos, sin);
            ws.rowSeq[t].cache().store(slot, pos, kk, t * kvDim, v, t * kvDim);
            attended += pos + 1;
        }
        for (int i = 0; i < n * qDim; i++) q[i] = F16.round(q[i]);
        float[] out = ws.attnOut = Workspace.grow(ws.attnOut, n * qDim);
        Arrays.fill(out, 0, n * qDim, 0f);
        int heads = c.headCount();
        Job job = ws.attention;
        job.q = q;
        job.out = out;
        job.slot = slot;
        job.ws = ws;
        if (2L * heads * hd * attended < MatMul.SERIAL_WORK) job.run(0, n * heads);
        else mm.pool().forRange(n * heads, job);
        job.ws = null;
        stats.multiplyAdds += 2L * heads * hd * attended;
        float[] o = ws.o = Workspace.grow(ws.o, n * e);
        mm.run(w.wo(), out, n, o, stats, ws, ws.rowEntry);
        for (int i = 0; i < n * e; i++) x[i] += o[i];
    }

    /** Row t, head h attends over positions 0..len-1 of its own sequence's cache. */
    private void attendHead(int t, int h, int len, float[] q, KvCache cache, int slot, float[] out, float[] scores) {
        int hd = c.headDim(), qDim = c.qDim();
        int kvh = h / (c.headCount() / c.headCountKv());
        int qOff = t * qDim + h * hd;
        long headBytes = 2L * kvh * hd;
        float scale = (float) (1.0 / Math.sqrt(hd));
        long stride = 2L * cache.kvDim();
        for (int p = 0; p < len; p += KvCache.PAGE) {
            k.attentionScores(q, qOff, cache.keyPage(slot, p), headBytes, stride, Math.min(KvCache.PAGE, len - p), hd, scale, scores, p);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < len; j++) if (scores[j] > max) max = scores[j];
        double sum = k.expShifted(scores, 0, len, max);
        float inv = (float) (1.0 / sum);
        for (int j = 0; j < len; j++) scores[j] = F16.round(scores[j] * inv);
        int oOff = t * qDim + h * hd;
        for (int p = 0; p < len; p += KvCache.PAGE) {
            k.attentionValues(scores, p, cache.valuePage(slot, p), headBytes, stride, Math.min(KvCache.PAGE, len - p), hd, out, oOff);
        }
    }

    private void addBias(float[] a, float[] bias, int n) {
        int d = bias.length;
        for (int t = 0; t < n; t++) for (int i = 0; i < d; i++) a[t * d + i] += bias[i];
    }
}
