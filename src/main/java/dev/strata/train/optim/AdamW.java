package dev.strata.train.optim;

/**
 * AdamW (decoupled weight decay, bias-corrected moments). Decay applies only where
 * {@code decayMask} is true: matrices, not norm gains.
 */
public final class AdamW {
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
        float c1 = (float) (1 - Math.pow(beta1, step)), c2 = (float) (1 - Math.pow(beta2, step));
        for (int i = from; i < to; i++) {
            float g = grad[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
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
