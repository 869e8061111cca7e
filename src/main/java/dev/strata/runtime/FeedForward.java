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

    /** Mapped experts are plain views: kept after first use, so the token loop allocates no slices. */
    private final ExpertWeights[][] views;

    FeedForward(ModelConfig c, MatMul mm, WeightStore store) {
        this.c = c;
        this.mm = mm;
        this.k = mm.kernels();
        this.store = store;
        this.views = new ExpertWeights[c.blockCount()][Math.max(0, c.expertCount())];
    }

    /**
     * x += ffn(norm(x)) for the n rows of the workspace. {@code next} (may be null) is the layer the
     * plan runs after this one: a prefetching store is told which of its experts the current hidden
     * state would pick. MoE rows use their own sequence's experts per token ({@link Workspace#rowK}).
     */
    void apply(Workspace ws, int layer, LayerWeights w, int nextLayer, LayerWeights next, float[] x, int n, ForwardStats stats) {
        int e = c.embeddingLength();
        float[] xb = ws.xb = Workspace.grow(ws.xb, n * e);
        for (int t = 0; t < n; t++) k.rmsnorm(xb, t * e, x, t * e, w.ffnNorm(), e, c.rmsEps());
        float[] y = ws.ffnOut = Workspace.grow(ws.ffnOut, n * e);
        if (w.router() == null) swiglu(ws, w.ffnGate(), w.ffnUp(), w.ffnDown(), xb, n, y, stats, ws.rowEntry);
        else experts(ws, layer, w, nextLayer, next, x, xb, n, y, stats);
        for (int i = 0; i < n * e; i++) x[i] += y[i];
    }

    /** Routes the pre-FFN residual through the next layer's norm and router; only a read-ahead hint. */
    private void prefetchNext(Workspace ws, int nextLayer, LayerWeights next, float[] x, int n, int kMax) {
        int e = c.embeddingLength(), nExp = c.expertCount();
        float[] xn = new float[n * e], logits = new float[n * nExp];
        for (int t = 0; t < n; t++) k.rmsnorm(xn, t * e, x, t * e, next.ffnNorm(), e, c.rmsEps());
        mm.run(next.router(), xn, n, logits, new ForwardStats(), ws, ws.rowEntry);
        boolean[] want = new boolean[nExp];
        int[] chosen = new int[kMax];
        for (int t = 0; t < n; t++) {
            int topK = ws.rowK[t];
            route(ws, logits, t * nExp, nExp, topK, chosen, new float[kMax], 0);
            for (int s = 0; s < topK; s++) want[chosen[s]] = true;
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

    /** out[n x embd] = down(silu(gate x) * up x), with the hidden rows in the workspace. */
    private void swiglu(Workspace ws, Tensor gate, Tensor up, Tensor down, float[] xb, int n, float[] out, ForwardStats stats, int[] owners) {
        int f = (int) gate.rows();
        float[] g = ws.g = Workspace.grow(ws.g, n * f), u = ws.u = Workspace.grow(ws.u, n * f);
        mm.runShared(gate, g, up, u, null, null, xb, n, stats, ws, owners);
        ws.silu.apply(g, u, n * f);
        mm.run(down, g, n, out, stats, ws, owners);
    }

    private ExpertWeights acquire(int layer, int expert) {
        ExpertWeights view = views[layer][expert];
        if (view != null) return view;
        ExpertWeights ew = store.acquireExpert(layer, expert);
        if (ew.release() == null && !store.prefetches()) views[layer][expert] = ew;
        return ew;
    }

    private void experts(Workspace ws, int layer, LayerWeights w, int nextLayer, LayerWeights next, float[] x, float[] xb, int n,
                         float[] out, ForwardStats stats) {
        int e = c.embeddingLength(), nExp = c.expertCount();
        int kMax = 0;
        for (int t = 0; t < n; t++) kMax = Math.max(kMax, ws.rowK[t]);
        float[] logits = ws.router = Workspace.grow(ws.router, n * nExp);
        mm.run(w.router(), xb, n, logits, stats, ws, ws.rowEntry);
        int[] chosen = ws.chosen = Workspace.grow(ws.chosen, n * kMax);
        float[] weights = ws.routeWeights = Workspace.grow(ws.routeWeights, n * kMax);
        long selected = 0;
        for (int t = 0; t < n; t++) {
            route(ws, logits, t * nExp, nExp, ws.rowK[t], chosen, weights, t * kMax);
            selected += ws.rowK[t];
            RoutingListener listener = ws.rowSeq[t].routingListener();
            if (listener != null) {
                listener.routed(layer, ws.rowPos[t], java.util.Arrays.copyOfRange(logits, t * nExp, (t + 1) * nExp),
                        java.util.Arrays.copyOfRange(chosen, t * kMax, t * kMax + ws.rowK[t]));
            }
        }
        stats.expertsSelected += selected;
        if (store.prefetches()) {
            boolean[] used = new boolean[nExp];
            for (int t = 0; t < n; t++) for (int s = 0; s < ws.rowK[t]; s++) used[chosen[t * kMax + s]] = true;
            store.prefetch(layer, indices(used));
            if (next != null && next.router() != null) prefetchNext(ws, nextLayer, next, x, n, kMax);
        }
        // per (row, slot) expert outputs, summed afterwards in slot order as ggml does
        float[] ys = ws.ys = Workspace.grow(ws.ys, n * kMax * e);
        int[] members = ws.members = Workspace.grow(ws.members, n * kMax);
        int[] owners = ws.expertOwner = Workspace.grow(ws.expertOwner, n * kMax);
        for (int ex = 0; ex < nExp; ex++) {
            int m = 0;
            for (int t = 0; t < n; t++) {
                for (int s = 0; s < ws.rowK[t]; s++) {
                    if (chosen[t * kMax + s] == ex) {
                        owners[m] = ws.rowEntry[t];
                        members[m++] = t * kMax + s;
                    }
                }
            }
            if (m == 0) continue;
            float[] xe = ws.xe = Workspace.grow(ws.xe, m * e), ye = ws.ye = Workspace.grow(ws.ye, m * e);
            for (int i = 0; i < m; i++) System.arraycopy(xb, members[i] / kMax * e, xe, i * e, e);
            ExpertWeights ew = acquire(layer, ex);
            try {
                if (ew.hit()) stats.expertHits++;
                else stats.expertMisses++;
                stats.expertBytesRead += ew.bytesRead();
                stats.expertWaitNanos += ew.waitNanos();
                swiglu(ws, ew.gate(), ew.up(), ew.down(), xe, m, ye, stats, owners);
            } finally {
                ew.close();
            }
            for (int i = 0; i < m; i++) System.arraycopy(ye, i * e, ys, members[i] * e, e);
        }
        java.util.Arrays.fill(out, 0, n * e, 0f);
        for (int t = 0; t < n; t++) {
            for (int s = 0; s < ws.rowK[t]; s++) {
                int slot = t * kMax + s;
                float wt = weights[slot];
                for (int i = 0; i < e; i++) out[t * e + i] += ys[slot * e + i] * wt;
            }
        }
        if (w.sharedGate() != null) {
            float[] shared = ws.shared = Workspace.grow(ws.shared, n * e);
            swiglu(ws, w.sharedGate(), w.sharedUp(), w.sharedDown(), xb, n, shared, stats, ws.rowEntry);
            for (int t = 0; t < n; t++) {
                float gate = sigmoid(k.dot(w.sharedRouter(), 0, xb, t * e, e));
                for (int i = 0; i < e; i++) out[t * e + i] += shared[t * e + i] * gate;
            }
        }
    }

    /** Softmax over all experts, then the top-k by probability (ties to the lower index). */
    private void route(Workspace ws, float[] logits, int off, int nExp, int topK, int[] chosen, float[] weights, int outOff) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < nExp; i++) max = Math.max(max, logits[off + i]);
        double sum = 0;
        float[] p = ws.probs = Workspace.grow(ws.probs, nExp);
        for (int i = 0; i < nExp; i++) {
            p[i] = (float) Math.exp(logits[off + i] - max);
            sum += p[i];
        }
        float inv = (float) (1.0 / sum);
        for (int i = 0; i < nExp; i++) p[i] *= inv;
        boolean[] taken = ws.taken = Workspace.grow(ws.taken, nExp);
        java.util.Arrays.fill(taken, 0, nExp, false);
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
