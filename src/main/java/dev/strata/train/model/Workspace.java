package dev.strata.train.model;

import dev.strata.train.ops.Attention;
import dev.strata.train.ops.Gemm;
import dev.strata.train.ops.MoeFfn;

/**
 * Everything one worker needs for a forward and backward pass over {@code batch} sequences of
 * {@code seqLen} tokens: saved activations per position of the layer path, gradient scratch, a
 * GEMM with its packing buffers, and the worker's own gradient buffer.
 */
public final class Workspace {
    /** Activations saved by one layer application for its backward pass. */
    static final class LayerState {
        final float[] xIn, xn1, rstd1, q, k, v, probs, att, xMid, xn2, rstd2, gate, up, h;
        final MoeFfn moe;

        LayerState(ModelConfig c, int batch, int seqLen) {
            int n = batch * seqLen;
            xIn = new float[n * c.dim()];
            xn1 = new float[n * c.dim()];
            rstd1 = new float[n];
            q = new float[n * c.qDim()];
            k = new float[n * c.kvDim()];
            v = new float[n * c.kvDim()];
            probs = new float[Attention.probsSize(batch, seqLen, c.heads())];
            att = new float[n * c.qDim()];
            xMid = new float[n * c.dim()];
            xn2 = new float[n * c.dim()];
            rstd2 = new float[n];
            int ffnActs = c.isMoe() ? 0 : n * c.ffnDim();
            gate = new float[ffnActs];
            up = new float[ffnActs];
            h = new float[ffnActs];
            moe = c.isMoe() ? new MoeFfn(n, c.dim(), c.ffnDim(), c.experts(), c.expertsUsed()) : null;
        }
    }

    final int capacity;
    final int seqLen;
    /** Sequences and tokens of the current forward pass (at most the capacity). */
    int batch;
    int tokens;
    final Gemm gemm = new Gemm();
    final Attention attention;
    final LayerState[] layers;
    final float[] xOut, xnFinal, rstdFinal, logits;
    final float[] dResidual, dxn, dq, dk, dv, dAtt, dGate, dUp, dH, ffnOut;
    /** A normed layer input packed once for the weight gradients of the projections that share it. */
    final float[] packedInput;
    final int[] inputTokens, targets;
    int[] path = new int[0];
    float lossWeight;
    float auxWeight;
    /** Where this worker's forward and backward time went. */
    public final StepTimes times = new StepTimes();
    /** This worker's gradient, laid out like the parameters. */
    public final float[] grad;

    Workspace(ModelConfig c, int batch, int seqLen, int maxPathLength) {
        if (seqLen > c.contextLength())
            throw new dev.strata.StrataException("sequence length " + seqLen + " exceeds the context length " + c.contextLength());
        this.capacity = batch;
        this.batch = batch;
        this.seqLen = seqLen;
        this.tokens = batch * seqLen;
        this.attention = new Attention(seqLen, c.heads(), c.kvHeads(), c.headDim());
        layers = new LayerState[maxPathLength];
        for (int i = 0; i < maxPathLength; i++) layers[i] = new LayerState(c, batch, seqLen);
        int n = tokens;
        xOut = new float[n * c.dim()];
        xnFinal = new float[n * c.dim()];
        rstdFinal = new float[n];
        logits = new float[n * c.vocabSize()];
        dResidual = new float[n * c.dim()];
        dxn = new float[n * c.dim()];
        dq = new float[n * c.qDim()];
        dk = new float[n * c.kvDim()];
        dv = new float[n * c.kvDim()];
        dAtt = new float[n * c.qDim()];
        int ffnScratch = c.isMoe() ? 0 : n * c.ffnDim();
        dGate = new float[ffnScratch];
        dUp = new float[ffnScratch];
        dH = new float[ffnScratch];
        ffnOut = new float[n * c.dim()];
        packedInput = new float[Gemm.packedSizeAll(n, c.dim())];
        inputTokens = new int[n];
        targets = new int[n];
        grad = new float[ParameterLayout.of(c).totalSize()];
    }

    /** The most sequences one forward pass can take. */
    public int capacity() {
        return capacity;
    }

    public int seqLen() {
        return seqLen;
    }

    /** Next-token probabilities after {@link TransformerModel#forward}: row t is the distribution after token t. */
    public float[] probabilities() {
        return logits;
    }
}
