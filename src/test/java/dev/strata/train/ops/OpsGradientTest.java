package dev.strata.train.ops;

import static dev.strata.train.ops.GradCheck.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Finite-difference checks of every op's explicit backward pass. */
class OpsGradientTest {
    private final SplittableRandom rng = new SplittableRandom(42);
    private final Gemm gemm = new Gemm();

    @Test
    void linear() {
        int tokens = 5, in = 7, out = 19;
        float[] x = random(rng, tokens * in, 1), w = random(rng, out * in + 3, 1), r = random(rng, tokens * out, 1);
        float[] y = new float[tokens * out];
        float[] dx = new float[tokens * in], dw = new float[out * in + 3];
        Linear.backward(gemm, dx, 0, dw, 3, r, 0, x, 0, w, 3, tokens, in, out);
        Runnable fwd = () -> Linear.forward(gemm, y, 0, x, 0, w, 3, tokens, in, out);
        check("linear dx", x, dx, () -> { fwd.run(); return project(y, r); }, 1);
        check("linear dW", w, 3, out * in, dw, 3, () -> { fwd.run(); return project(y, r); }, 80, 2, 1e-2, 2e-2);
    }

    @Test
    void rmsNorm() {
        int tokens = 3, dim = 16;
        float[] x = random(rng, tokens * dim, 2), w = random(rng, dim, 1.5), r = random(rng, tokens * dim, 1);
        float[] out = new float[tokens * dim], rstd = new float[tokens];
        float[] dx = new float[tokens * dim], dw = new float[dim];
        RmsNorm.forward(out, x, w, 0, rstd, tokens, dim, 1e-5f);
        RmsNorm.backward(dx, dw, 0, r, x, w, 0, rstd, tokens, dim);
        check("rmsnorm dx", x, dx, () -> { RmsNorm.forward(out, x, w, 0, rstd, tokens, dim, 1e-5f); return project(out, r); }, 3);
        check("rmsnorm dw", w, dw, () -> { RmsNorm.forward(out, x, w, 0, rstd, tokens, dim, 1e-5f); return project(out, r); }, 4);
    }

    @Test
    void ropeBackwardIsTheTransposedRotation() {
        int seqLen = 6, heads = 2, headDim = 8, tokens = 2 * seqLen;
        Rope rope = new Rope(seqLen, headDim, 10000f);
        float[] x = random(rng, tokens * heads * headDim, 1), r = random(rng, x.length, 1);
        float[] dx = r.clone();
        rope.backward(dx, tokens, seqLen, heads);
        check("rope dx", x, dx, () -> {
            float[] y = x.clone();
            rope.forward(y, tokens, seqLen, heads);
            return project(y, r);
        }, 5);
    }

    @Test
    void vectorizedRopeMatchesThePerTokenScalarRotationBitForBit() {
        int seqLen = 5, heads = 3, headDim = 16, width = heads * headDim;
        Rope rope = new Rope(seqLen, headDim, 10000f);
        float[] x = random(rng, 2 * seqLen * width, 1), expected = x.clone();
        rope.forward(x, 2 * seqLen, seqLen, heads);
        for (int t = 0; t < 2 * seqLen; t++) rope.forwardAt(expected, t * width, heads, t % seqLen);
        assertArrayEquals(expected, x);
    }

    @Test
    void ropeUsesInterleavedPairsLikeLlamaCpp() {
        Rope rope = new Rope(4, 4, 10000f);
        float[] x = {1, 0, 1, 0, /* pos 1 */ 1, 0, 1, 0, /* pos 2 */ 0, 0, 0, 0, /* pos 3 */ 0, 1, 0, 0};
        rope.forward(x, 4, 4, 1);
        assertEquals(1f, x[0], 1e-6);
        assertEquals(Math.cos(1), x[4], 1e-6);
        assertEquals(Math.sin(1), x[5], 1e-6);
        assertEquals(Math.cos(0.01), x[6], 1e-6); // pair 1 rotates by pos · 10000^(-2/4)
        assertEquals(Math.sin(0.01), x[7], 1e-6);
        assertEquals(-Math.sin(3), x[12], 1e-6);
        assertEquals(Math.cos(3), x[13], 1e-6);
    }

    @Test
    void causalGroupedQueryAttention() {
        int batch = 2, seqLen = 37, heads = 4, kvHeads = 2, headDim = 6; // seqLen spans two query blocks
        Attention att = new Attention(seqLen, heads, kvHeads, headDim);
        int n = batch * seqLen;
        float[] q = random(rng, n * heads * headDim, 1), k = random(rng, n * kvHeads * headDim, 1);
        float[] v = random(rng, n * kvHeads * headDim, 1), r = random(rng, n * heads * headDim, 1);
        float[] out = new float[q.length], probs = new float[Attention.probsSize(batch, seqLen, heads)];
        float[] dq = new float[q.length], dk = new float[k.length], dv = new float[v.length];
        att.forward(gemm, out, probs, q, k, v, batch);
        att.backward(gemm, dq, dk, dv, r, probs, q, k, v, batch);
        java.util.function.DoubleSupplier loss = () -> { att.forward(gemm, out, probs, q, k, v, batch); return project(out, r); };
        check("attention dq", q, dq, loss, 6);
        check("attention dk", k, dk, loss, 7);
        check("attention dv", v, dv, loss, 8);
    }

    @Test
    void attentionIsCausal() {
        int seqLen = 4, headDim = 4;
        Attention att = new Attention(seqLen, 1, 1, headDim);
        float[] q = random(rng, seqLen * headDim, 1), k = random(rng, seqLen * headDim, 1), v = random(rng, seqLen * headDim, 1);
        float[] out1 = new float[q.length], out2 = new float[q.length], probs = new float[seqLen * seqLen];
        att.forward(gemm, out1, probs, q, k, v, 1);
        for (int i = 3 * headDim; i < 4 * headDim; i++) { k[i] += 1; v[i] -= 2; }
        att.forward(gemm, out2, probs, q, k, v, 1);
        for (int i = 0; i < 3 * headDim; i++) assertEquals(out1[i], out2[i], 0f, "position " + i / headDim + " saw the future");
        assertEquals(1f, probs[0], 1e-6);
    }

    @Test
    void swiGlu() {
        int n = 40;
        float[] gate = random(rng, n, 4), up = random(rng, n, 2), r = random(rng, n, 1);
        float[] h = new float[n], dgate = new float[n], dup = new float[n];
        SwiGlu.backward(dgate, dup, r, gate, up, 0, n);
        check("swiglu dgate", gate, dgate, () -> { SwiGlu.forward(h, 0, gate, up, n); return project(h, r); }, 9);
        check("swiglu dup", up, dup, () -> { SwiGlu.forward(h, 0, gate, up, n); return project(h, r); }, 10);
    }

    @Test
    void maskedSoftmaxCrossEntropy() {
        int tokens = 4, vocab = 9;
        float[] logits = random(rng, tokens * vocab, 3);
        int[] targets = {3, -1, 0, 8};
        float weight = 1f / 3;
        float[] probs = logits.clone();
        double loss = CrossEntropy.forward(probs, targets, tokens, vocab, weight);
        float[] dlogits = new float[logits.length];
        CrossEntropy.backward(dlogits, probs, targets, tokens, vocab, weight);
        check("cross-entropy", logits, dlogits, () -> CrossEntropy.forward(logits.clone(), targets, tokens, vocab, weight), 11);
        for (int i = vocab; i < 2 * vocab; i++) assertEquals(0f, dlogits[i], "masked row has a gradient");
        double expected = 0;
        for (int t : new int[] {0, 2, 3}) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int i = 0; i < vocab; i++) max = Math.max(max, logits[t * vocab + i]);
            for (int i = 0; i < vocab; i++) sum += Math.exp(logits[t * vocab + i] - max);
            expected += weight * -(logits[t * vocab + targets[t]] - max - Math.log(sum));
        }
        assertEquals(expected, loss, 1e-5);
    }
}
