package dev.strata.train.ops;

/** h = silu(gate) ⊙ up, the gated activation of llama's FFN, over n elements from off. */
public final class SwiGlu {
    private SwiGlu() {}

    public static void forward(float[] h, int off, float[] gate, float[] up, int n) {
        for (int i = off; i < off + n; i++) {
            float g = gate[i];
            h[i] = g / (1f + (float) Math.exp(-g)) * up[i];
        }
    }

    /** dgate = dh·up·σ(g)(1 + g(1-σ(g))); dup = dh·silu(g). Both overwrite. */
    public static void backward(float[] dgate, float[] dup, float[] dh, float[] gate, float[] up, int off, int n) {
        for (int i = off; i < off + n; i++) {
            float g = gate[i];
            float sig = 1f / (1f + (float) Math.exp(-g));
            dgate[i] = dh[i] * up[i] * sig * (1f + g * (1f - sig));
            dup[i] = dh[i] * g * sig;
        }
    }
}
