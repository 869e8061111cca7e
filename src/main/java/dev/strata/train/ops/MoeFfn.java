package dev.strata.train.ops;

import java.util.Arrays;

/**
 * A routed mixture-of-experts SwiGLU FFN, as llama.cpp's llama architecture runs it: router
 * probabilities are a softmax over all experts, the top k are kept and renormalised to sum to one.
 * The Switch-Transformer load-balancing loss, coef · E · Σ_e f_e · P_e (f_e: share of routed slots
 * given to expert e, P_e: mean router probability of e), pushes the router towards even use.
 *
 * <p>Tokens routed to one expert are gathered into contiguous rows, in token order, so each expert
 * runs dense GEMMs. One instance holds the saved activations of one layer for one worker.
 */
public final class MoeFfn {
    private final int dim, ffn, experts, used, tokens;
    private final float[] routerProbs, slotWeight, dRouter;
    private final int[] slotExpert, expertStart, rowToken, rowSlot;
    private final float[] xg, gate, up, h, yg, dyg, dh, dgate, dup, dxg;
    private final float[] dSlotWeight;

    public MoeFfn(int tokens, int dim, int ffn, int experts, int used) {
        this.tokens = tokens;
        this.dim = dim;
        this.ffn = ffn;
        this.experts = experts;
        this.used = used;
        int routed = tokens * used;
        routerProbs = new float[tokens * experts];
        dRouter = new float[tokens * experts];
        slotExpert = new int[routed];
        slotWeight = new float[routed];
        dSlotWeight = new float[routed];
        expertStart = new int[experts + 1];
        rowToken = new int[routed];
        rowSlot = new int[routed];
        xg = new float[routed * dim];
        yg = new float[routed * dim];
        dyg = new float[routed * dim];
        dxg = new float[routed * dim];
        gate = new float[routed * ffn];
        up = new float[routed * ffn];
        h = new float[routed * ffn];
        dh = new float[routed * ffn];
        dgate = new float[routed * ffn];
        dup = new float[routed * ffn];
    }

    /**
     * out = Σ_j w_j · expert_j(x) for each token (overwrites out). Returns the load-balancing loss
     * multiplied by {@code auxWeight} (the coefficient times this worker's share of the batch).
     */
    public double forward(Gemm gemm, float[] out, float[] x, float[] p, int routerOff, int gateOff, int upOff,
                          int downOff, float auxWeight) {
        Linear.forward(gemm, routerProbs, 0, x, 0, p, routerOff, tokens, dim, experts);
        int[] counts = new int[experts];
        for (int t = 0; t < tokens; t++) {
            softmaxRow(routerProbs, t * experts);
            selectTopK(t, counts);
        }
        expertStart[0] = 0;
        for (int e = 0; e < experts; e++) expertStart[e + 1] = expertStart[e] + counts[e];
        int[] fill = Arrays.copyOf(expertStart, experts);
        for (int t = 0; t < tokens; t++) {
            for (int j = 0; j < used; j++) {
                int slot = t * used + j, row = fill[slotExpert[slot]]++;
                rowToken[row] = t;
                rowSlot[slot] = row;
                System.arraycopy(x, t * dim, xg, row * dim, dim);
            }
        }
        for (int e = 0; e < experts; e++) {
            int r0 = expertStart[e], n = expertStart[e + 1] - r0;
            if (n == 0) continue;
            Linear.forward(gemm, gate, r0 * ffn, xg, r0 * dim, p, gateOff + e * ffn * dim, n, dim, ffn);
            Linear.forward(gemm, up, r0 * ffn, xg, r0 * dim, p, upOff + e * ffn * dim, n, dim, ffn);
            SwiGlu.forward(h, r0 * ffn, gate, up, n * ffn);
            Linear.forward(gemm, yg, r0 * dim, h, r0 * ffn, p, downOff + e * dim * ffn, n, ffn, dim);
        }
        Arrays.fill(out, 0, tokens * dim, 0f);
        for (int slot = 0; slot < tokens * used; slot++)
            VecOps.axpy(slotWeight[slot], yg, rowSlot[slot] * dim, out, (slot / used) * dim, dim);

        double aux = 0;
        for (int e = 0; e < experts; e++) {
            double meanProb = 0;
            for (int t = 0; t < tokens; t++) meanProb += routerProbs[t * experts + e];
            aux += (counts[e] / (double) (tokens * used)) * (meanProb / tokens);
        }
        return auxWeight * experts * aux;
    }

    /** Accumulates dx and the router and expert weight gradients. */
    public void backward(Gemm gemm, float[] dx, float[] dout, float[] x, float[] p, float[] grad,
                         int routerOff, int gateOff, int upOff, int downOff, float auxWeight) {
        for (int slot = 0; slot < tokens * used; slot++) {
            int t = slot / used, row = rowSlot[slot];
            dSlotWeight[slot] = VecOps.dot(dout, t * dim, yg, row * dim, dim);
            for (int i = 0; i < dim; i++) dyg[row * dim + i] = slotWeight[slot] * dout[t * dim + i];
        }
        Arrays.fill(dh, 0f);
        Arrays.fill(dxg, 0f);
        for (int e = 0; e < experts; e++) {
            int r0 = expertStart[e], n = expertStart[e + 1] - r0;
            if (n == 0) continue;
            Linear.backward(gemm, dh, r0 * ffn, grad, downOff + e * dim * ffn, dyg, r0 * dim, h, r0 * ffn,
                    p, downOff + e * dim * ffn, n, ffn, dim);
            SwiGlu.backward(dgate, dup, dh, gate, up, r0 * ffn, n * ffn);
            Linear.backward(gemm, dxg, r0 * dim, grad, gateOff + e * ffn * dim, dgate, r0 * ffn, xg, r0 * dim,
                    p, gateOff + e * ffn * dim, n, dim, ffn);
            Linear.backward(gemm, dxg, r0 * dim, grad, upOff + e * ffn * dim, dup, r0 * ffn, xg, r0 * dim,
                    p, upOff + e * ffn * dim, n, dim, ffn);
        }
        for (int row = 0; row < tokens * used; row++) VecOps.add(dxg, row * dim, dx, rowToken[row] * dim, dim);

        int[] counts = new int[experts];
        for (int slot = 0; slot < tokens * used; slot++) counts[slotExpert[slot]]++;
        for (int t = 0; t < tokens; t++) {
            int row = t * experts;
            for (int e = 0; e < experts; e++)
                dRouter[row + e] = auxWeight * experts * (counts[e] / (float) (tokens * used)) / tokens;
            // w_j = p_j / S over the kept experts, so dL/dp_i = (dL/dw_i - Σ_j dL/dw_j · w_j) / S.
            float keptSum = 0, weighted = 0;
            for (int j = 0; j < used; j++) {
                keptSum += routerProbs[row + slotExpert[t * used + j]];
                weighted += dSlotWeight[t * used + j] * slotWeight[t * used + j];
            }
            for (int j = 0; j < used; j++)
                dRouter[row + slotExpert[t * used + j]] += (dSlotWeight[t * used + j] - weighted) / keptSum;
            float dotPdP = 0;
            for (int e = 0; e < experts; e++) dotPdP += routerProbs[row + e] * dRouter[row + e];
            for (int e = 0; e < experts; e++) dRouter[row + e] = routerProbs[row + e] * (dRouter[row + e] - dotPdP);
        }
        Linear.backward(gemm, dx, 0, grad, routerOff, dRouter, 0, x, 0, p, routerOff, tokens, dim, experts);
    }

    private void softmaxRow(float[] z, int off) {
        float max = Float.NEGATIVE_INFINITY;
        for (int e = 0; e < experts; e++) max = Math.max(max, z[off + e]);
        float sum = 0;
        for (int e = 0; e < experts; e++) {
            z[off + e] = (float) Math.exp(z[off + e] - max);
            sum += z[off + e];
        }
        for (int e = 0; e < experts; e++) z[off + e] /= sum;
    }

    /** Highest probabilities first, ties to the lower expert index, as a stable argsort would. */
    private void selectTopK(int t, int[] counts) {
        int row = t * experts;
        float keptSum = 0;
        for (int j = 0; j < used; j++) {
            int best = -1;
            for (int e = 0; e < experts; e++) {
                if (isSelected(t, j, e)) continue;
                if (best < 0 || routerProbs[row + e] > routerProbs[row + best]) best = e;
            }
            slotExpert[t * used + j] = best;
            counts[best]++;
            keptSum += routerProbs[row + best];
        }
        for (int j = 0; j < used; j++) slotWeight[t * used + j] = routerProbs[row + slotExpert[t * used + j]] / keptSum;
    }

    private boolean isSelected(int t, int upTo, int e) {
        for (int j = 0; j < upTo; j++) if (slotExpert[t * used + j] == e) return true;
        return false;
    }

    public int[] selectedExperts() {
        return slotExpert;
    }
}
