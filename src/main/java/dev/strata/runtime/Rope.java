package dev.strata.runtime;

import dev.strata.model.ModelConfig;
import dev.strata.model.RopeLayout;

/**
 * Rotary position embedding as ggml computes it: theta advances by repeated float multiplication
 * with base^(-2/d), each pair's angle is divided by its frequency factor (Llama 3 rope_freqs) and
 * multiplied by the linear frequency scale.
 */
final class Rope {
    private final int dims;
    private final float thetaScale;
    private final float freqScale;
    private final float[] freqFactors;
    private final RopeLayout layout;

    Rope(ModelConfig c, float[] freqFactors) {
        this.dims = c.ropeDim();
        this.thetaScale = (float) Math.pow(c.ropeFreqBase(), -2.0 / dims);
        this.freqScale = c.ropeFreqScale();
        this.freqFactors = freqFactors;
        this.layout = c.ropeLayout();
    }

    /** Fills cos/sin (dims/2 entries each) for one position. */
    void angles(int position, float[] cos, float[] sin) {
        float theta = position;
        for (int i = 0; i < dims / 2; i++) {
            float ff = freqFactors != null ? freqFactors[i] : 1f;
            float th = freqScale * (theta / ff);
            cos[i] = (float) Math.cos(th);
            sin[i] = (float) Math.sin(th);
            theta *= thetaScale;
        }
    }

    /** Rotates one head (headDim values at x[off]) in place; dimensions past ropeDim pass through. */
    void rotate(float[] x, int off, float[] cos, float[] sin) {
        int half = dims / 2;
        for (int i = 0; i < half; i++) {
            int a = layout == RopeLayout.NORM ? off + 2 * i : off + i;
            int b = layout == RopeLayout.NORM ? a + 1 : a + half;
            float x0 = x[a], x1 = x[b];
            x[a] = x0 * cos[i] - x1 * sin[i];
            x[b] = x0 * sin[i] + x1 * cos[i];
        }
    }
}
