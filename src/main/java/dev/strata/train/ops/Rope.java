package dev.strata.train.ops;

/**
 * Rotary position embedding in llama.cpp's NORM layout (the llama architecture): within each head
 * the pairs (x[2i], x[2i+1]) rotate by pos · theta^(-2i/headDim). Backward rotates the gradient by
 * the opposite angle, since the map is orthogonal.
 */
public final class Rope {
    private final int headDim;
    private final float[] cos;
    private final float[] sin;

    public Rope(int maxPositions, int headDim, float theta) {
        if (headDim % 2 != 0) throw new IllegalArgumentException("RoPE needs an even head dimension");
        this.headDim = headDim;
        int half = headDim / 2;
        cos = new float[maxPositions * half];
        sin = new float[maxPositions * half];
        for (int p = 0; p < maxPositions; p++) {
            for (int i = 0; i < half; i++) {
                double angle = p * Math.pow(theta, -2.0 * i / headDim);
                cos[p * half + i] = (float) Math.cos(angle);
                sin[p * half + i] = (float) Math.sin(angle);
            }
        }
    }

    /** Rotates x[t][h*headDim ..] in place for every head; token t sits at position t % seqLen. */
    public void forward(float[] x, int tokens, int seqLen, int heads) {
        rotate(x, tokens, seqLen, heads, 1f);
    }

    public void backward(float[] dx, int tokens, int seqLen, int heads) {
        rotate(dx, tokens, seqLen, heads, -1f);
    }

    /** Rotates one token's heads, x[off ..], for the given position (used when decoding). */
    public void forwardAt(float[] x, int off, int heads, int position) {
        int half = headDim / 2, table = position * half;
        for (int h = 0; h < heads; h++) {
            int base = off + h * headDim;
            for (int i = 0; i < half; i++) {
                float c = cos[table + i], s = sin[table + i];
                float x0 = x[base + 2 * i], x1 = x[base + 2 * i + 1];
                x[base + 2 * i] = x0 * c - x1 * s;
                x[base + 2 * i + 1] = x0 * s + x1 * c;
            }
        }
    }

    private void rotate(float[] x, int tokens, int seqLen, int heads, float direction) {
        int half = headDim / 2, width = heads * headDim;
        for (int t = 0; t < tokens; t++) {
            int table = (t % seqLen) * half;
            for (int h = 0; h < heads; h++) {
                int base = t * width + h * headDim;
                for (int i = 0; i < half; i++) {
                    float c = cos[table + i], s = direction * sin[table + i];
                    float x0 = x[base + 2 * i], x1 = x[base + 2 * i + 1];
                    x[base + 2 * i] = x0 * c - x1 * s;
                    x[base + 2 * i + 1] = x0 * s + x1 * c;
                }
            }
        }
    }
}
