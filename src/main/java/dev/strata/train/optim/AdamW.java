package dev.strata.train.optim;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * AdamW (decoupled weight decay, bias-corrected moments). Decay applies only where
 * {@code decayMask} is true: matrices, not norm gains.
 */
public final class AdamW {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private final float beta1, beta2, eps, weightDecay;
    private final float[] m, v;
    private final boolean[] decayMask;
    private long step;

    public AdamW(int size, boolean[] decayMask, float beta1, float beta2, float eps, float weightDecay) {
        if (decayMask.length != size) throw new IllegalArgumentException("decay mask size differs from the parameter count");
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.m = new float[size];
        this.v = new float[size];
        this.decayMask = decayMask;
    }

    /** One update of params[from, to) with learning rate lr; {@link #advance()} must precede each step. */
    public void update(float[] params, float[] grad, float lr, int from, int to) {
        update(params, grad, 1f, lr, from, to);
    }

    /**
     * As {@link #update(float[], float[], float, int, int)} after grad[from, to) *= gradScale (gradient
     * clipping), in one pass. Vector lanes compute exactly the scalar expression (IEEE mul, add, div,
     * sqrt; no fused multiply-add), so the result does not depend on where the vector loop ends.
     */
    public void update(float[] params, float[] grad, float gradScale, float lr, int from, int to) {
        float c1 = (float) (1 - Math.pow(beta1, step)), c2 = (float) (1 - Math.pow(beta2, step));
        float oneMinusB1 = 1 - beta1, oneMinusB2 = 1 - beta2;
        int i = from;
        FloatVector vScale = FloatVector.broadcast(S, gradScale), vB1 = FloatVector.broadcast(S, beta1), vB2 = FloatVector.broadcast(S, beta2);
        FloatVector v1B1 = FloatVector.broadcast(S, oneMinusB1), v1B2 = FloatVector.broadcast(S, oneMinusB2);
        FloatVector vC1 = FloatVector.broadcast(S, c1), vC2 = FloatVector.broadcast(S, c2), vEps = FloatVector.broadcast(S, eps);
        FloatVector vLr = FloatVector.broadcast(S, lr), vWd = FloatVector.broadcast(S, weightDecay), zero = FloatVector.zero(S);
        for (; i <= to - 8; i += 8) {
            FloatVector g = FloatVector.fromArray(S, grad, i);
            if (gradScale != 1f) {
                g = g.mul(vScale);
                g.intoArray(grad, i);
            }
            FloatVector mi = vB1.mul(FloatVector.fromArray(S, m, i)).add(v1B1.mul(g));
            FloatVector vi = vB2.mul(FloatVector.fromArray(S, v, i)).add(v1B2.mul(g).mul(g));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector p = FloatVector.fromArray(S, params, i);
            VectorMask<Float> decays = VectorMask.fromArray(S, decayMask, i);
            FloatVector decay = zero.blend(vWd.mul(p), decays);
            FloatVector denom = vi.div(vC2).lanewise(VectorOperators.SQRT).add(vEps);
            p.sub(vLr.mul(mi.div(vC1).div(denom).add(decay))).intoArray(params, i);
        }
        for (; i < to; i++) {
            float g = grad[i];
            if (gradScale != 1f) grad[i] = g = g * gradScale;
            m[i] = beta1 * m[i] + oneMinusB1 * g;
            v[i] = beta2 * v[i] + oneMinusB2 * g * g;
            float mHat = m[i] / c1, vHat = v[i] / c2;
            float decay = decayMask[i] ? weightDecay * params[i] : 0f;
            params[i] -= lr * (mHat / ((float) Math.sqrt(vHat) + eps) + decay);
        }
    }

    public void advance() {
        step++;
    }

    public long stepCount() {
        return step;
    }

    /** State for checkpoints: first and second moments and the step counter. */
    public float[] firstMoment() {
        return m;
    }

    public float[] secondMoment() {
        return v;
    }

    public void restoreStep(long step) {
        this.step = step;
    }
}
