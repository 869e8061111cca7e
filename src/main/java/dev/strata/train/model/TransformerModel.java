package dev.strata.train.model;

import dev.strata.StrataException;
import dev.strata.train.ops.CrossEntropy;
import dev.strata.train.ops.Gemm;
import dev.strata.train.ops.Linear;
import dev.strata.train.ops.RmsNorm;
import dev.strata.train.ops.Rope;
import dev.strata.train.ops.SwiGlu;
import dev.strata.train.ops.VecOps;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A llama-architecture transformer for training: pre-norm blocks of RMSNorm, RoPE'd causal GQA
 * attention and a SwiGLU (or MoE) FFN, untied output head. Parameters live in one flat buffer laid
 * out by {@link ParameterLayout}; forward and backward are written out op by op, as in llm.c.
 *
 * <p>A forward pass runs a <em>layer path</em>: a sequence of layer indices, normally 0..L-1. A
 * path that repeats layers (loop training) shares their weights; gradients simply add up.
 */
public final class TransformerModel {
    private record LayerOffsets(int attnNorm, int q, int k, int v, int o, int ffnNorm, int gate, int up, int down, int router) {}

    private final ModelConfig config;
    private final ParameterLayout layout;
    private final float[] params;
    private final LayerOffsets[] layerOffsets;
    private final int embedding, outputNorm, output;
    private final Rope rope;
    private volatile PackedWeights packed;

    public TransformerModel(ModelConfig config) {
        this(config, new float[ParameterLayout.of(config).totalSize()]);
    }

    public TransformerModel(ModelConfig config, float[] params) {
        this.config = config;
        this.layout = ParameterLayout.of(config);
        if (params.length != layout.totalSize())
            throw new StrataException("parameter buffer has " + params.length + " floats, the model needs " + layout.totalSize());
        this.params = params;
        layerOffsets = new LayerOffsets[config.layers()];
        for (int b = 0; b < config.layers(); b++) {
            String p = "blk." + b + ".";
            boolean moe = config.isMoe();
            layerOffsets[b] = new LayerOffsets(layout.offset(p + "attn_norm.weight"), layout.offset(p + "attn_q.weight"),
                    layout.offset(p + "attn_k.weight"), layout.offset(p + "attn_v.weight"),
                    layout.offset(p + "attn_output.weight"), layout.offset(p + "ffn_norm.weight"),
                    layout.offset(p + (moe ? "ffn_gate_exps.weight" : "ffn_gate.weight")),
                    layout.offset(p + (moe ? "ffn_up_exps.weight" : "ffn_up.weight")),
                    layout.offset(p + (moe ? "ffn_down_exps.weight" : "ffn_down.weight")),
                    moe ? layout.offset(p + "ffn_gate_inp.weight") : -1);
        }
        embedding = layout.offset("token_embd.weight");
        outputNorm = layout.offset("output_norm.weight");
        output = layout.offset("output.weight");
        rope = new Rope(config.contextLength(), config.headDim(), config.ropeTheta());
    }

    /** Norm weights 1; matrices N(0, 0.02), with residual output projections scaled by 1/sqrt(2L) (GPT-2). */
    public void initialize(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double residualStd = 0.02 / Math.sqrt(2.0 * config.layers());
        for (ParameterLayout.Slice s : layout.slices()) {
            if (s.isNorm()) {
                Arrays.fill(params, s.offset(), s.offset() + s.size(), 1f);
                continue;
            }
            boolean residualOut = s.name().endsWith("attn_output.weight") || s.name().contains("ffn_down");
            double std = residualOut ? residualStd : 0.02;
            for (int i = s.offset(); i < s.offset() + s.size(); i++) params[i] = (float) (gaussian(rng) * std);
        }
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    public Workspace newWorkspace(int batch, int seqLen, int maxPathLength) {
        return new Workspace(config, batch, seqLen, maxPathLength);
    }

    public int[] defaultPath() {
        int[] path = new int[config.layers()];
        for (int i = 0; i < path.length; i++) path[i] = i;
        return path;
    }

    /**
     * Runs the model over tokens.length / T sequences (tokens[b*T + t], at most the workspace's
     * capacity) and returns
     * Σ lossWeight · CE over positions with target ≥ 0, plus the MoE load-balancing loss times
     * auxWeight. Afterwards {@link Workspace#probabilities()} holds the next-token distributions.
     */
    public double forward(Workspace ws, int[] tokens, int[] targets, int[] path, float lossWeight, float auxWeight) {
        if (path.length > ws.layers.length) throw new StrataException("layer path longer than the workspace allows");
        if (tokens.length % ws.seqLen != 0 || tokens.length / ws.seqLen > ws.capacity || targets.length != tokens.length)
            throw new StrataException("expected up to " + ws.capacity + " sequences of " + ws.seqLen + " tokens, got " + tokens.length);
        ws.batch = tokens.length / ws.seqLen;
        ws.tokens = tokens.length;
        int n = ws.tokens, d = config.dim(), vocab = config.vocabSize();
        System.arraycopy(tokens, 0, ws.inputTokens, 0, n);
        System.arraycopy(targets, 0, ws.targets, 0, n);
        ws.path = path.clone();
        ws.lossWeight = lossWeight;
        ws.auxWeight = auxWeight;
        float[] x = ws.layers.length > 0 && path.length > 0 ? ws.layers[0].xIn : ws.xOut;
        for (int t = 0; t < n; t++) {
            int id = tokens[t];
            if (id < 0 || id >= vocab) throw new StrataException("token id " + id + " is outside the vocabulary of " + vocab);
            System.arraycopy(params, embedding + id * d, x, t * d, d);
        }
        double aux = 0;
        for (int i = 0; i < path.length; i++) {
            float[] next = i + 1 < path.length ? ws.layers[i + 1].xIn : ws.xOut;
            aux += layerForward(ws, ws.layers[i], layerOffsets[path[i]], next);
        }
        RmsNorm.forward(ws.xnFinal, ws.xOut, params, outputNorm, ws.rstdFinal, n, d, config.normEps());
        linearForward(ws, ws.logits, ws.xnFinal, output, n, d, vocab);
        return CrossEntropy.forward(ws.logits, targets, n, vocab, lossWeight) + aux;
    }

    private double layerForward(Workspace ws, Workspace.LayerState s, LayerOffsets o, float[] xOut) {
        ModelConfig c = config;
        int n = ws.tokens, d = c.dim();
        RmsNorm.forward(s.xn1, s.xIn, params, o.attnNorm, s.rstd1, n, d, c.normEps());
        linearForward(ws, s.q, s.xn1, o.q, n, d, c.qDim());
        linearForward(ws, s.k, s.xn1, o.k, n, d, c.kvDim());
        linearForward(ws, s.v, s.xn1, o.v, n, d, c.kvDim());
        rope.forward(s.q, n, ws.seqLen, c.heads());
        rope.forward(s.k, n, ws.seqLen, c.kvHeads());
        long attentionStart = System.nanoTime();
        ws.attention.forward(ws.gemm, s.att, s.probs, s.q, s.k, s.v, ws.batch);
        ws.times.charge(StepTimes.Part.ATTENTION_FORWARD, attentionStart);
        linearForward(ws, s.xMid, s.att, o.o, n, c.qDim(), d);
        VecOps.add(s.xIn, 0, s.xMid, 0, n * d);

        RmsNorm.forward(s.xn2, s.xMid, params, o.ffnNorm, s.rstd2, n, d, c.normEps());
        double aux = 0;
        if (c.isMoe()) {
            float weight = ws.auxWeight * c.auxLossCoef();
            aux = s.moe.forward(ws.gemm, xOut, s.xn2, params, o.router, o.gate, o.up, o.down, weight);
        } else {
            linearForward(ws, s.gate, s.xn2, o.gate, n, d, c.ffnDim());
            linearForward(ws, s.up, s.xn2, o.up, n, d, c.ffnDim());
            SwiGlu.forward(s.h, 0, s.gate, s.up, n * c.ffnDim());
            linearForward(ws, xOut, s.h, o.down, n, c.ffnDim(), d);
        }
        VecOps.add(s.xMid, 0, xOut, 0, n * d);
        return aux;
    }

    /** Accumulates the gradient of the last forward's loss into {@code ws.grad}. */
    public void backward(Workspace ws) {
        int n = ws.tokens, d = config.dim(), vocab = config.vocabSize();
        float[] g = ws.grad;
        CrossEntropy.backward(ws.logits, ws.logits, ws.targets, n, vocab, ws.lossWeight);
        linearBackward(ws, ws.dxn, output, ws.logits, ws.xnFinal, n, d, vocab, false);
        Arrays.fill(ws.dResidual, 0f);
        RmsNorm.backward(ws.dResidual, g, outputNorm, ws.dxn, ws.xOut, params, outputNorm, ws.rstdFinal, n, d);
        for (int i = ws.path.length - 1; i >= 0; i--) layerBackward(ws, ws.layers[i], layerOffsets[ws.path[i]]);
        for (int t = 0; t < n; t++)
            VecOps.add(ws.dResidual, t * d, g, embedding + ws.inputTokens[t] * d, d);
    }

    /** On entry dResidual is the gradient at the layer's output; on exit, at its input. */
    private void layerBackward(Workspace ws, Workspace.LayerState s, LayerOffsets o) {
        ModelConfig c = config;
        int n = ws.tokens, d = c.dim(), ff = c.ffnDim();
        float[] g = ws.grad, dRes = ws.dResidual;
        if (c.isMoe()) {
            Arrays.fill(ws.dxn, 0f);
            float weight = ws.auxWeight * c.auxLossCoef();
            s.moe.backward(ws.gemm, ws.dxn, dRes, s.xn2, params, g, o.router, o.gate, o.up, o.down, weight);
        } else {
            linearBackward(ws, ws.dH, o.down, dRes, s.h, n, ff, d, false);
            SwiGlu.backward(ws.dGate, ws.dUp, ws.dH, s.gate, s.up, 0, n * ff);
            boolean shared = packInput(ws, s.xn2, n, d);
            linearBackward(ws, ws.dxn, o.gate, ws.dGate, s.xn2, n, d, ff, false, shared);
            linearBackward(ws, ws.dxn, o.up, ws.dUp, s.xn2, n, d, ff, true, shared);
        }
        RmsNorm.backward(dRes, g, o.ffnNorm, ws.dxn, s.xMid, params, o.ffnNorm, s.rstd2, n, d);

        linearBackward(ws, ws.dAtt, o.o, dRes, s.att, n, c.qDim(), d, false);
        Arrays.fill(ws.dq, 0f);
        Arrays.fill(ws.dk, 0f);
        Arrays.fill(ws.dv, 0f);
        long attentionStart = System.nanoTime();
        ws.attention.backward(ws.gemm, ws.dq, ws.dk, ws.dv, ws.dAtt, s.probs, s.q, s.k, s.v, ws.batch);
        ws.times.charge(StepTimes.Part.ATTENTION_BACKWARD, attentionStart);
        rope.backward(ws.dq, n, ws.seqLen, c.heads());
        rope.backward(ws.dk, n, ws.seqLen, c.kvHeads());
        boolean shared = packInput(ws, s.xn1, n, d);
        linearBackward(ws, ws.dxn, o.q, ws.dq, s.xn1, n, d, c.qDim(), false, shared);
        linearBackward(ws, ws.dxn, o.k, ws.dk, s.xn1, n, d, c.kvDim(), true, shared);
        linearBackward(ws, ws.dxn, o.v, ws.dv, s.xn1, n, d, c.kvDim(), true, shared);
        RmsNorm.backward(dRes, g, o.attnNorm, ws.dxn, s.xIn, params, o.attnNorm, s.rstd1, n, d);
    }

    private void linearForward(Workspace ws, float[] y, float[] x, int w, int tokens, int in, int out) {
        long start = System.nanoTime();
        PackedWeights pw = packed;
        if (pw != null && pw.covers(w)) Linear.forwardPrepacked(ws.gemm, y, 0, x, 0, pw.forwardBuffer(), pw.forwardOffset(w), tokens, in, out);
        else Linear.forward(ws.gemm, y, 0, x, 0, params, w, tokens, in, out);
        ws.times.charge(StepTimes.Part.LINEAR_FORWARD, start);
    }

    /** Packs x[tokens][dim] into ws.packedInput when weights are pre-packed (the trainer's path); returns whether it did. */
    private boolean packInput(Workspace ws, float[] x, int tokens, int dim) {
        if (packed == null) return false;
        Gemm.packAll(ws.packedInput, 0, x, 0, dim, 1, tokens, dim);
        return true;
    }

    private void linearBackward(Workspace ws, float[] dx, int w, float[] dy, float[] x, int tokens, int in, int out,
                                boolean accumulateDx) {
        linearBackward(ws, dx, w, dy, x, tokens, in, out, accumulateDx, false);
    }

    /**
     * dx (+)= dy·W over the first tokens rows (overwritten unless accumulateDx); dW += dyᵀ·x, with x
     * read from ws.packedInput when xPacked.
     */
    private void linearBackward(Workspace ws, float[] dx, int w, float[] dy, float[] x, int tokens, int in, int out,
                                boolean accumulateDx, boolean xPacked) {
        long start = System.nanoTime();
        PackedWeights pw = packed;
        if (xPacked && pw != null && pw.covers(w)) {
            Linear.backwardPrepackedInput(ws.gemm, dx, ws.grad, w, dy, ws.packedInput, pw.backwardBuffer(), pw.backwardOffset(w),
                    tokens, in, out, accumulateDx);
        } else if (pw != null && pw.covers(w)) {
            Linear.backwardPrepacked(ws.gemm, dx, 0, ws.grad, w, dy, 0, x, 0, pw.backwardBuffer(), pw.backwardOffset(w),
                    tokens, in, out, accumulateDx);
        } else {
            if (!accumulateDx) Arrays.fill(dx, 0, tokens * in, 0f);
            Linear.backward(ws.gemm, dx, 0, ws.grad, w, dy, 0, x, 0, params, w, tokens, in, out);
        }
        ws.times.charge(StepTimes.Part.LINEAR_BACKWARD, start);
    }

    /**
     * Lets forward and backward read pre-packed weights. The caller owns the contract that they
     * match the parameters (repacked after every update); null returns to packing on the fly.
     */
    public void usePackedWeights(PackedWeights weights) {
        this.packed = weights;
    }

    public ModelConfig config() {
        return config;
    }

    public ParameterLayout layout() {
        return layout;
    }

    /** The live parameter buffer (the optimizer updates it in place). */
    public float[] params() {
        return params;
    }
}
