package dev.strata.train.ops;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** h = silu(gate) ⊙ up, the gated activation of llama's FFN, over n elements from off. */
public final class SwiGlu {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;

    private SwiGlu() {}

    public static void forward(float[] h, int off, float[] gate, float[] up, int n) {
        int i = off, end = off + n;
        for (; i <= end - 8; i += 8) {
            FloatVector g = FloatVector.fromArray(S, gate, i);
            FloatVector sig = FloatVector.broadcast(S, 1f).div(VecOps.exp(g.neg()).add(1f));
            g.mul(sig).mul(FloatVector.fromArray(S, up, i)).intoArray(h, i);
        }
        for (; i < end; i++) h[i] = gate[i] * sigmoid(gate[i]) * up[i];
    }

    /** dgate = dh·up·σ(g)(1 + g(1-σ(g))); dup = dh·silu(g). Both overwrite. */
    public static void backward(float[] dgate, float[] dup, float[] dh, float[] gate, float[] up, int off, int n) {
        int i = off, end = off + n;
        for (; i <= end - 8; i += 8) {
            FloatVector g = FloatVector.fromArray(S, gate, i), d = FloatVector.fromArray(S, dh, i);
            FloatVector sig = FloatVector.broadcast(S, 1f).div(VecOps.exp(g.neg()).add(1f));
            FloatVector silu = g.mul(sig);
            FloatVector dSilu = sig.mul(g.sub(silu).add(1f)); // σ(1 + g(1-σ)) = σ(1 + g - silu)
            d.mul(FloatVector.fromArray(S, up, i)).mul(dSilu).intoArray(dgate, i);
            d.mul(silu).intoArray(dup, i);
        }
        for (; i < end; i++) {
            float g = gate[i], sig = sigmoid(g);
            dgate[i] = dh[i] * up[i] * sig * (1f + g * (1f - sig));
            dup[i] = dh[i] * g * sig;
        }
    }

    private static float sigmoid(float x) {
        return 1f / (1f + (float) Math.exp(-x));
    }
}
