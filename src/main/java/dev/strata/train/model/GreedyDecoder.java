package dev.strata.train.model;

import dev.strata.StrataException;
import dev.strata.train.ops.Gemm;
import dev.strata.train.ops.MoeFfn;
import dev.strata.train.ops.RmsNorm;
import dev.strata.train.ops.Rope;
import dev.strata.train.ops.SwiGlu;
import dev.strata.train.ops.VecOps;
import java.util.Arrays;

/**
 * Token-by-token inference with a KV cache over a {@link TransformerModel}'s live parameters, for
 * evaluating exact-match accuracy during and after training. Same math as the training forward
 * pass (which the tests check), one position at a time. Not thread-safe: one per thread.
 */
public final class GreedyDecoder {
    private final ModelConfig c;
    private final float[] p;
    private final ParameterLayout layout;
    private final int[] path;
    private final Rope rope;
    private final float[][] keyCache, valueCache;
    private final float[] x, xn, q, k, v, att, proj, gate, up, hidden, scores, logits, rstd = new float[1];
    private final MoeFfn moe;
    private final Gemm gemm = new Gemm();
    private int position;

    public GreedyDecoder(TransformerModel model, int[] path) {
        this.c = model.config();
        this.p = model.params();
        this.layout = model.layout();
        this.path = path.clone();
        this.rope = new Rope(c.contextLength(), c.headDim(), c.ropeTheta());
        keyCache = new float[path.length][c.contextLength() * c.kvDim()];
        valueCache = new float[path.length][c.contextLength() * c.kvDim()];
        x = new float[c.dim()];
        xn = new float[c.dim()];
        q = new float[c.qDim()];
        k = new float[c.kvDim()];
        v = new float[c.kvDim()];
        att = new float[c.qDim()];
        proj = new float[c.dim()];
        gate = new float[c.ffnDim()];
        up = new float[c.ffnDim()];
        hidden = new float[c.ffnDim()];
        scores = new float[c.contextLength()];
        logits = new float[c.vocabSize()];
        moe = c.isMoe() ? new MoeFfn(1, c.dim(), c.ffnDim(), c.experts(), c.expertsUsed()) : null;
    }

    public void reset() {
        position = 0;
    }

    public int position() {
        return position;
    }

    /** Feeds one token and returns the logits for the next one (a view, valid until the next call). */
    public float[] step(int token) {
        if (position >= c.contextLength()) throw new StrataException("context length " + c.contextLength() + " exceeded while decoding");
        int d = c.dim();
        System.arraycopy(p, layout.offset("token_embd.weight") + token * d, x, 0, d);
        for (int i = 0; i < path.length; i++) layer(i, "blk." + path[i] + ".");
        RmsNorm.forward(xn, x, p, layout.offset("output_norm.weight"), rstd, 1, d, c.normEps());
        matvec(logits, layout.offset("output.weight"), xn, d, c.vocabSize());
        position++;
        return logits;
    }

    private void layer(int slot, String prefix) {
        int d = c.dim(), hd = c.headDim(), kvw = c.kvDim(), group = c.heads() / c.kvHeads();
        RmsNorm.forward(xn, x, p, layout.offset(prefix + "attn_norm.weight"), rstd, 1, d, c.normEps());
        matvec(q, layout.offset(prefix + "attn_q.weight"), xn, d, c.qDim());
        matvec(k, layout.offset(prefix + "attn_k.weight"), xn, d, kvw);
        matvec(v, layout.offset(prefix + "attn_v.weight"), xn, d, kvw);
        rope.forwardAt(q, 0, c.heads(), position);
        rope.forwardAt(k, 0, c.kvHeads(), position);
        System.arraycopy(k, 0, keyCache[slot], position * kvw, kvw);
        System.arraycopy(v, 0, valueCache[slot], position * kvw, kvw);
        float scale = (float) (1.0 / Math.sqrt(hd));
        for (int h = 0; h < c.heads(); h++) {
            int kvOff = (h / group) * hd;
            float max = Float.NEGATIVE_INFINITY;
            for (int s = 0; s <= position; s++) {
                scores[s] = scale * VecOps.dot(q, h * hd, keyCache[slot], s * kvw + kvOff, hd);
                max = Math.max(max, scores[s]);
            }
            float sum = 0;
            for (int s = 0; s <= position; s++) {
                scores[s] = (float) Math.exp(scores[s] - max);
                sum += scores[s];
            }
            Arrays.fill(att, h * hd, (h + 1) * hd, 0f);
            for (int s = 0; s <= position; s++) VecOps.axpy(scores[s] / sum, valueCache[slot], s * kvw + kvOff, att, h * hd, hd);
        }
        matvec(proj, layout.offset(prefix + "attn_output.weight"), att, c.qDim(), d);
        VecOps.add(proj, 0, x, 0, d);

        RmsNorm.forward(xn, x, p, layout.offset(prefix + "ffn_norm.weight"), rstd, 1, d, c.normEps());
        if (moe != null) {
            moe.forward(gemm, proj, xn, p, layout.offset(prefix + "ffn_gate_inp.weight"), layout.offset(prefix + "ffn_gate_exps.weight"),
                    layout.offset(prefix + "ffn_up_exps.weight"), layout.offset(prefix + "ffn_down_exps.weight"), 0f);
        } else {
            matvec(gate, layout.offset(prefix + "ffn_gate.weight"), xn, d, c.ffnDim());
            matvec(up, layout.offset(prefix + "ffn_up.weight"), xn, d, c.ffnDim());
            SwiGlu.forward(hidden, 0, gate, up, c.ffnDim());
            matvec(proj, layout.offset(prefix + "ffn_down.weight"), hidden, c.ffnDim(), d);
        }
        VecOps.add(proj, 0, x, 0, d);
    }

    private void matvec(float[] out, int wOff, float[] in, int cols, int rows) {
        for (int r = 0; r < rows; r++) out[r] = VecOps.dot(p, wOff + r * cols, in, 0, cols);
    }

    /**
     * Feeds the prompt, then greedily appends tokens until {@code stopToken} (included) or
     * maxNew tokens; returns only the generated tokens.
     */
    public int[] generate(int[] prompt, int maxNew, int stopToken) {
        reset();
        if (prompt.length == 0) throw new StrataException("cannot decode from an empty prompt");
        float[] next = null;
        for (int t : prompt) next = step(t);
        int[] out = new int[maxNew];
        int n = 0;
        while (n < maxNew && position < c.contextLength()) {
            int best = argmax(next);
            out[n++] = best;
            if (best == stopToken) break;
            if (n < maxNew && position < c.contextLength()) next = step(best);
            else break;
        }
        return Arrays.copyOf(out, n);
    }

    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }
}
