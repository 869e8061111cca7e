package dev.strata.train.ops;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Causal scaled dot-product attention with grouped KV heads: query head h reads KV head
 * h / (heads / kvHeads). Softmax probabilities are kept, [batch][heads][T][T], for backward.
 *
 * <p>All four products (Q·Kᵀ, P·V and their gradients) run on the packed GEMM, one block of
 * {@value #BLOCK} queries at a time against only the keys it can see, so the causal triangle costs
 * little more than its own area.
 */
public final class Attention {
    private static final int BLOCK = 64;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;

    private final int seqLen, heads, kvHeads, headDim;
    private final float scale;
    private final float[] blockScratch;
    private final float[] packedKeys;
    /** V (forward) or K (backward) packed row-major once per head when the sequence fits one GEMM K block. */
    private final float[] packedRows;

    public Attention(int seqLen, int heads, int kvHeads, int headDim) {
        if (heads % kvHeads != 0) throw new IllegalArgumentException("heads must be a multiple of kv heads");
        this.seqLen = seqLen;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.scale = (float) (1.0 / Math.sqrt(headDim));
        this.blockScratch = new float[BLOCK * seqLen];
        this.packedKeys = new float[Gemm.packedSize(headDim, seqLen)];
        this.packedRows = seqLen <= Gemm.KC ? new float[Gemm.packedSize(seqLen, headDim)] : null;
    }

    public static int probsSize(int batch, int seqLen, int heads) {
        return batch * heads * seqLen * seqLen;
    }

    public void forward(Gemm gemm, float[] out, float[] probs, float[] q, float[] k, float[] v, int batch) {
        int qWidth = heads * headDim, kvWidth = kvHeads * headDim, group = heads / kvHeads, T = seqLen;
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int kvBase = b * T * kvWidth + (h / group) * headDim;
                Gemm.packOnce(packedKeys, k, kvBase, 1, kvWidth, headDim, T); // Kᵀ, shared by all query blocks
                if (packedRows != null) Gemm.packOnce(packedRows, v, kvBase, kvWidth, 1, T, headDim); // V, a prefix per block
                for (int t0 = 0; t0 < T; t0 += BLOCK) {
                    int rows = Math.min(BLOCK, T - t0), keys = t0 + rows;
                    int qBase = (b * T + t0) * qWidth + h * headDim;
                    int pBase = ((b * heads + h) * T + t0) * T;
                    gemm.multiplyPacked(rows, keys, headDim, q, qBase, qWidth, 1, packedKeys, probs, pBase, T, false);
                    for (int r = 0; r < rows; r++) {
                        int row = pBase + r * T;
                        softmaxRow(probs, row, t0 + r + 1);
                        // future keys inside this block must not leak into P·V; later keys are never read
                        Arrays.fill(probs, row + t0 + r + 1, row + keys, 0f);
                    }
                    if (packedRows != null) gemm.multiplyPacked(rows, headDim, keys, probs, pBase, T, 1, packedRows, T, out, qBase, qWidth, false);
                    else gemm.multiply(rows, headDim, keys, probs, pBase, T, 1, v, kvBase, kvWidth, 1, out, qBase, qWidth, false);
                }
            }
        }
    }

    /** p[0, n) ← softmax(scale · p[0, n)). */
    private void softmaxRow(float[] p, int off, int n) {
        int vecEnd = n - n % 8, s = 0;
        FloatVector vMax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (; s < vecEnd; s += 8) vMax = vMax.max(FloatVector.fromArray(S, p, off + s));
        float max = vMax.reduceLanes(VectorOperators.MAX);
        for (; s < n; s++) max = Math.max(max, p[off + s]);
        FloatVector vScale = FloatVector.broadcast(S, scale), vShift = FloatVector.broadcast(S, -max * scale);
        FloatVector vSum = FloatVector.zero(S);
        for (s = 0; s < vecEnd; s += 8) {
            FloatVector e = FloatVector.fromArray(S, p, off + s).fma(vScale, vShift);
            e = VecOps.exp(e);
            e.intoArray(p, off + s);
            vSum = vSum.add(e);
        }
        float sum = VecOps.sumLanes(vSum);
        for (; s < n; s++) {
            float e = (float) Math.exp(p[off + s] * scale - max * scale);
            p[off + s] = e;
            sum += e;
        }
        FloatVector vInv = FloatVector.broadcast(S, 1f / sum);
        for (s = 0; s < vecEnd; s += 8) FloatVector.fromArray(S, p, off + s).mul(vInv).intoArray(p, off + s);
        for (float inv = 1f / sum; s < n; s++) p[off + s] *= inv;
    }

    /** d[i] ← p[i] · (d[i] - weighted) · scale: the softmax Jacobian applied to one row of dP. */
    private void softmaxBackwardRow(float[] d, int dOff, float[] p, int pOff, float weighted, int n) {
        FloatVector vW = FloatVector.broadcast(S, weighted), vScale = FloatVector.broadcast(S, scale);
        int s = 0;
        for (; s <= n - 8; s += 8) {
            FloatVector dp = FloatVector.fromArray(S, d, dOff + s).sub(vW);
            FloatVector.fromArray(S, p, pOff + s).mul(dp).mul(vScale).intoArray(d, dOff + s);
        }
        for (; s < n; s++) d[dOff + s] = p[pOff + s] * (d[dOff + s] - weighted) * scale;
    }

    /** Accumulates into dq, dk and dv. */
    public void backward(Gemm gemm, float[] dq, float[] dk, float[] dv, float[] dout, float[] probs,
                         float[] q, float[] k, float[] v, int batch) {
        int qWidth = heads * headDim, kvWidth = kvHeads * headDim, group = heads / kvHeads, T = seqLen;
        float[] ds = blockScratch;
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int kvBase = b * T * kvWidth + (h / group) * headDim;
                Gemm.packOnce(packedKeys, v, kvBase, 1, kvWidth, headDim, T); // Vᵀ, shared by all query blocks
                if (packedRows != null) Gemm.packOnce(packedRows, k, kvBase, kvWidth, 1, T, headDim); // K, a prefix per block
                for (int t0 = 0; t0 < T; t0 += BLOCK) {
                    int rows = Math.min(BLOCK, T - t0), keys = t0 + rows;
                    int qBase = (b * T + t0) * qWidth + h * headDim;
                    int pBase = ((b * heads + h) * T + t0) * T;
                    // dP = dOut · Vᵀ and dV += Pᵀ · dOut
                    gemm.multiplyPacked(rows, keys, headDim, dout, qBase, qWidth, 1, packedKeys, ds, 0, T, false);
                    gemm.multiply(keys, headDim, rows, probs, pBase, 1, T, dout, qBase, qWidth, 1, dv, kvBase, kvWidth, true);
                    // dScore = P ⊙ (dP - Σ P·dP), times the score scale
                    for (int r = 0; r < rows; r++) {
                        int visible = t0 + r + 1, pRow = pBase + r * T, dRow = r * T;
                        float weighted = VecOps.dot(probs, pRow, ds, dRow, visible);
                        softmaxBackwardRow(ds, dRow, probs, pRow, weighted, visible);
                        Arrays.fill(ds, dRow + visible, dRow + keys, 0f);
                    }
                    // dQ += dS · K and dK += dSᵀ · Q
                    if (packedRows != null) gemm.multiplyPacked(rows, headDim, keys, ds, 0, T, 1, packedRows, T, dq, qBase, qWidth, true);
                    else gemm.multiply(rows, headDim, keys, ds, 0, T, 1, k, kvBase, kvWidth, 1, dq, qBase, qWidth, true);
                    gemm.multiply(keys, headDim, rows, ds, 0, 1, T, q, qBase, qWidth, 1, dk, kvBase, kvWidth, true);
                }
            }
        }
    }
}
