package dev.strata.train.ops;

import java.util.Arrays;

/**
 * Causal scaled dot-product attention with grouped KV heads: query head h reads KV head
 * h / (heads / kvHeads). Softmax probabilities are kept, [batch][heads][T][T], for backward.
 */
public final class Attention {
    private final int seqLen;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final float scale;
    private final float[] rowScratch;

    public Attention(int seqLen, int heads, int kvHeads, int headDim) {
        if (heads % kvHeads != 0) throw new IllegalArgumentException("heads must be a multiple of kv heads");
        this.seqLen = seqLen;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.scale = (float) (1.0 / Math.sqrt(headDim));
        this.rowScratch = new float[seqLen];
    }

    public static int probsSize(int batch, int seqLen, int heads) {
        return batch * heads * seqLen * seqLen;
    }

    public void forward(float[] out, float[] probs, float[] q, float[] k, float[] v, int batch) {
        int qWidth = heads * headDim, kvWidth = kvHeads * headDim, group = heads / kvHeads;
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int kvOff = (h / group) * headDim;
                for (int t = 0; t < seqLen; t++) {
                    int qRow = (b * seqLen + t) * qWidth + h * headDim;
                    int pRow = ((b * heads + h) * seqLen + t) * seqLen;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int s = 0; s <= t; s++) {
                        float score = scale * VecOps.dot(q, qRow, k, (b * seqLen + s) * kvWidth + kvOff, headDim);
                        probs[pRow + s] = score;
                        max = Math.max(max, score);
                    }
                    float sum = 0;
                    for (int s = 0; s <= t; s++) {
                        float e = (float) Math.exp(probs[pRow + s] - max);
                        probs[pRow + s] = e;
                        sum += e;
                    }
                    float inv = 1f / sum;
                    Arrays.fill(out, qRow, qRow + headDim, 0f);
                    for (int s = 0; s <= t; s++) {
                        probs[pRow + s] *= inv;
                        VecOps.axpy(probs[pRow + s], v, (b * seqLen + s) * kvWidth + kvOff, out, qRow, headDim);
                    }
                    Arrays.fill(probs, pRow + t + 1, pRow + seqLen, 0f);
                }
            }
        }
    }

    /** Accumulates into dq, dk and dv. */
    public void backward(float[] dq, float[] dk, float[] dv, float[] dout, float[] probs,
                         float[] q, float[] k, float[] v, int batch) {
        int qWidth = heads * headDim, kvWidth = kvHeads * headDim, group = heads / kvHeads;
        float[] dScore = rowScratch;
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int kvOff = (h / group) * headDim;
                for (int t = 0; t < seqLen; t++) {
                    int qRow = (b * seqLen + t) * qWidth + h * headDim;
                    int pRow = ((b * heads + h) * seqLen + t) * seqLen;
                    float weighted = 0;
                    for (int s = 0; s <= t; s++) {
                        int kvRow = (b * seqLen + s) * kvWidth + kvOff;
                        float dp = VecOps.dot(dout, qRow, v, kvRow, headDim);
                        dScore[s] = dp;
                        weighted += dp * probs[pRow + s];
                        VecOps.axpy(probs[pRow + s], dout, qRow, dv, kvRow, headDim);
                    }
                    for (int s = 0; s <= t; s++) {
                        int kvRow = (b * seqLen + s) * kvWidth + kvOff;
                        float ds = probs[pRow + s] * (dScore[s] - weighted) * scale;
                        VecOps.axpy(ds, k, kvRow, dq, qRow, headDim);
                        VecOps.axpy(ds, q, qRow, dk, kvRow, headDim);
                    }
                }
            }
        }
    }
}
