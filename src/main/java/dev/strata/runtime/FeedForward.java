package dev.strata.runtime;

import dev.strata.model.ExpertWeights;
import dev.strata.model.LayerWeights;
import dev.strata.model.ModelConfig;
import dev.strata.weights.WeightStore;
import dev.strata.tensor.KernelProvider;
import dev.strata.tensor.Tensor;

/**
 * SwiGLU feed-forward, dense or mixture-of-experts. MoE follows llama.cpp: softmax over all
 * experts, top-k, optional renormalisation of the k weights, only the selected experts computed,
 * plus qwen2moe's shared expert gated by sigmoid(ffn_gate_inp_shexp . x).
 */
final class FeedForward {
    private final ModelConfig c;
    private final MatMul mm;
    private final KernelProvider k;
    private final WeightStore store;

    FeedForward(ModelConfig c, MatMul mm, WeightStore store) {
        this.c = c;
        this.mm = mm;
        this.k = mm.kernels();
        this.store = store;
    }

    /**
     * x += ffn(norm(x)) for n tokens. {@code next} (may be null) is the layer the plan runs after
     * this one: a prefetching store is told which of its experts the current hidden state would pick.
     */
    void apply(int layer, LayerWeights w, int nextLayer, LayerWeights next, float[] x, int n, Sequence seq, int expertsPerToken, ForwardStats stats) {
        int e = c.embeddingLength();
        float[] xb = new float[n * e];
        for (int t = 0; t < n; t++) k.rmsnorm(xb, t * e, x, t * e, w.ffnNorm(), e, c.rmsEps());
        float[] y = w.router() == null
                ? swiglu(w.ffnGate(), w.ffnUp(), w.ffnDown(), xb, n, stats)
                : experts(layer, w, nextLayer, next, x, xb, n, seq, expertsPerToken, stats);
        for (int i = 0; i < n * e; i++) x[i] += y[i];
    }

    /** Routes the pre-FFN residual through the next layer's norm and router; only a read-ahead hint. */
    private void prefetchNext(int nextLayer, LayerWeights next, float[] x, int n, int topK) {
        int e = c.embeddingLength(), nExp = c.expertCount();
        float[] xn = new float[n * e], logits = new float[n * nExp];
        for (int t = 0; t < n; t++) k.rmsnorm(xn, t * e, x, t * e, next.ffnNorm(), e, c.rmsEps());
        mm.run(next.router(), xn, n, logits, new ForwardStats());
        boolean[] want = new boolean[nExp];
        for (int t = 0; t < n; t++) {
            int[] chosen = new int[topK];
            route(logits, t * nExp, nExp, topK, chosen, new float[topK], 0);
            for (int ex : chosen) want[ex] = true;
        }
        store.prefetch(nextLayer, indices(want));
    }

    private static int[] indices(boolean[] set) {
        int m = 0;
        for (boolean b : set) if (b) m++;
        int[] r = new int[m];
        for (int i = 0, j = 0; i < set.length; i++) if (set[i]) r[j++] = i;
        return r;
    }

    private float[] swiglu(Tensor gate, Tensor up, Tensor down, float[] xb, int n, ForwardStats stats) {
        int f = (int) gate.rows();
        float[] g = new float[n * f], u = new float[n * f];
        mm.run(gate, xb, n, g, stats);
        mm.run(up, xb, n, u, stats);
        k.siluMul(g, 0, u, 0, n * f);
        float[] out = new float[n * c.embeddingLength()];
        mm.run(down, g, n, out, stats);
        return out;
    }

    private float[] experts(int layer, LayerWeights w, int nextLayer, LayerWeights next, float[] x, float[] xb, int n, Sequence seq, int topK, ForwardStats stats) {
        int e = c.embeddingLength(), nExp = c.expertCount();
        float[] logits = new float[n * nExp];
        mm.run(w.router(), xb, n, logits, stats);
        int[] chosen = new int[n * topK];
        float[] weights = new float[n * topK];
        for (int t = 0; t < n; t++) route(logits, t * nExp, nExp, topK, chosen, weights, t * topK);
        RoutingListener listener = seq.routingListener();
        if (listener != null) {
            for (int t = 0; t < n; t++) {
                listener.routed(layer, seq.position() + t, java.util.Arrays.copyOfRange(logits, t * nExp, (t + 1) * nExp),
                        java.util.Arrays.copyOfRange(chosen, t * topK, (t + 1) * topK));
            }
        }
        stats.expertsSelected += (long) n * topK;
        if (store.prefetches()) {
            boolean[] used = new boolean[nExp];
            for (int ex : chosen) used[ex] = true;
            store.prefetch(layer, indices(used));
            if (next != null && next.router() != null) prefetchNext(nextLayer, next, x, n, topK);
        }
        // per (token, slot) expert outputs, summed afterwards in slot order as ggml does
        float[] ys = new float[n * topK * e];
        int[] members = new int[n * topK];
        for (int ex = 0; ex < nExp; ex++) {
            int m = 0;
            for (int i = 0; i < n * topK; i++) if (chosen[i] == ex) members[m++] = i;
            if (m == 0) continue;
            float[] xe = new float[m * e];
            for (int i = 0; i < m; i++) System.arraycopy(xb, members[i] / topK * e, xe, i * e, e);
            float[] ye;
            try (ExpertWeights ew = store.acquireExpert(layer, ex)) {
                if (ew.hit()) stats.expertHits++;
                else stats.expertMisses++;
                stats.expertBytesRead += ew.bytesRead();
                stats.expertWaitNanos += ew.waitNanos();
                ye = swiglu(ew.gate(), ew.up(), ew.down(), xe, m, stats);
            }
            for (int i = 0; i < m; i++) System.arraycopy(ye, i * e, ys, members[i] * e, e);
        }
        float[] out = new float[n * e];
        for (int t = 0; t < n; t++) {
            for (int s = 0; s < topK; s++) {
                int slot = t * topK + s;
                float wt = weights[slot];
                for (int i = 0; i < e; i++) out[t * e + i] += ys[slot * e + i] * wt;
            }
        }
        if (w.sharedGate() != null) {
            float[] shared = swiglu(w.sharedGate(), w.sharedUp(), w.sharedDown(), xb, n, stats);
            for (int t = 0; t < n; t++) {
                float gate = sigmoid(k.dot(w.sharedRouter(), 0, xb, t * e, e));
                for (int i = 0; i < e; i++) out[t * e + i] += shared[t * e + i] * gate;
            }
        }
        return out;
    }

    /** Softmax over all experts, then the top-k by probability (ties to the lower index). */
    private void route(float[] logits, int off, int nExp, int topK, int[] chosen, float[] weights, int outOff) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < nExp; i++) max = Math.max(max, logits[off + i]);
        double sum = 0;
        float[] p = new float[nExp];
        for (int i = 0; i < nExp; i++) {
            p[i] = (float) Math.exp(logits[off + i] - max);
            sum += p[i];
        }
        float inv = (float) (1.0 / sum);
        for (int i = 0; i < nExp; i++) p[i] *= inv;
        boolean[] taken = new boolean[nExp];
        float total = 0;
        for (int s = 0; s < topK; s++) {
            int best = -1;
            for (int i = 0; i < nExp; i++) if (!taken[i] && (best < 0 || p[i] > p[best])) best = i;
            taken[best] = true;
            chosen[outOff + s] = best;
            weights[outOff + s] = p[best];
            total += p[best];
        }
        if (c.normalizeExpertWeights()) for (int s = 0; s < topK; s++) weights[outOff + s] /= total;
    }

    private static float sigmoid(float v) {
        return (float) (1.0 / (1.0 + Math.exp(-v)));
    }
}
