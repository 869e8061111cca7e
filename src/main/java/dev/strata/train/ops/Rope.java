package dev.strata.train.ops;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Rotary position embedding in llama.cpp's NORM layout (the llama architecture): within each head
 * the pairs (x[2i], x[2i+1]) rotate by pos · theta^(-2i/headDim). Backward rotates the gradient by
 * the opposite angle, since the map is orthogonal.
 */
public final class Rope {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final VectorShuffle<Float> SWAP_PAIRS = VectorShuffle.fromValues(S, 1, 0, 3, 2, 5, 4, 7, 6);

    private final int headDim;
    private final float[] cos;
    private final float[] sin;
    /** Per position and head element: cos of the pair's angle, and ∓sin (minus on the pair's first element). */
    private final float[] cosPairs, sinPairs;

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
        cosPairs = new float[maxPositions * headDim];
        sinPairs = new float[maxPositions * headDim];
        for (int j = 0; j < cosPairs.length; j++) {
            int pair = j / 2;
            cosPairs[j] = cos[pair];
            sinPairs[j] = j % 2 == 0 ? -sin[pair] : sin[pair];
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
        if (headDim % 8 == 0) {
            rotateVectors(x, tokens, seqLen, heads, direction);
            return;
        }
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

    /** As the scalar loop, lane by lane: (x0, x1) ← (x0·c + x1·(-s), x1·c + x0·s), same roundings. */
    private void rotateVectors(float[] x, int tokens, int seqLen, int heads, float direction) {
        int width = heads * headDim;
        for (int t = 0; t < tokens; t++) {
            int table = (t % seqLen) * headDim;
            for (int i = 0; i < headDim; i += 8) {
                FloatVector c = FloatVector.fromArray(S, cosPairs, table + i);
                FloatVector s = FloatVector.fromArray(S, sinPairs, table + i).mul(direction);
                for (int h = 0; h < heads; h++) {
                    int at = t * width + h * headDim + i;
                    FloatVector v = FloatVector.fromArray(S, x, at);
                    v.mul(c).add(v.rearrange(SWAP_PAIRS).mul(s)).intoArray(x, at);
                }
            }
        }
    }
}
