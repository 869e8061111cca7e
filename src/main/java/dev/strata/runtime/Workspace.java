package dev.strata.runtime;

import dev.strata.tensor.quant.Activations;

/**
 * The buffers of one thread's forward passes, sized to the largest batch seen and grown only when
 * a larger one arrives, so the decode loop allocates nothing. Row r of a group belongs to sequence
 * {@link #rowSeq}[r] at position {@link #rowPos}[r].
 */
final class Workspace {
    float[] x = new float[0], xb = new float[0], q = new float[0], k = new float[0], v = new float[0];
    float[] attnOut = new float[0], o = new float[0], ffnOut = new float[0], g = new float[0], u = new float[0];
    float[] normed = new float[0], logits = new float[0], cos = new float[0], sin = new float[0];
    float[] router = new float[0], routeWeights = new float[0], probs = new float[0], ys = new float[0];
    float[] xe = new float[0], ye = new float[0], shared = new float[0], splitX = new float[0], splitOut = new float[0];
    int[] rowPos = new int[0], rowK = new int[0], chosen = new int[0], members = new int[0], groupMembers = new int[0];
    int[] outRows = new int[0], rowEntry = new int[0], outOwner = new int[0], expertOwner = new int[0];
    boolean[] taken = new boolean[0], grouped = new boolean[0];
    Sequence[] rowSeq = new Sequence[0];
    final Activations activations = new Activations();
    final MatMul.Job matmul;
    final MatMul.SiluJob silu;
    final MatMul.PrepareJob prepare;
    final Attention.Job attention;

    Workspace(MatMul mm, Attention attention) {
        this.matmul = mm.new Job();
        this.silu = mm.new SiluJob();
        this.prepare = mm.new PrepareJob();
        this.attention = attention.new Job();
    }

    /** Room for n rows of per-row bookkeeping. */
    void reserveRows(int n) {
        if (rowPos.length < n) {
            rowPos = new int[n];
            rowK = new int[n];
            outRows = new int[n];
            rowEntry = new int[n];
            outOwner = new int[n];
            rowSeq = new Sequence[n];
        }
    }

    static float[] grow(float[] a, int n) {
        return a.length >= n ? a : new float[n];
    }

    static int[] grow(int[] a, int n) {
        return a.length >= n ? a : new int[n];
    }

    static boolean[] grow(boolean[] a, int n) {
        return a.length >= n ? a : new boolean[n];
    }
}
