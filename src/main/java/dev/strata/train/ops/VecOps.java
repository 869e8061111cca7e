package dev.strata.train.ops;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Small vector helpers for the non-GEMM ops. Only exactly specified lane operations are used:
 * {@code reduceLanes(ADD)} and {@code lanewise(EXP)} may round differently before and after C2
 * compiles a method, which made identically seeded runs differ in the last bit.
 */
public final class VecOps {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final VectorSpecies<Float> HALF = FloatVector.SPECIES_128;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float ROUNDING_MAGIC = 12582912f; // 1.5·2^23: adding it rounds to an integer

    private VecOps() {}

    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        FloatVector acc = FloatVector.zero(S);
        for (; i <= n - 8; i += 8) acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
        float sum = sumLanes(acc);
        for (; i < n; i++) sum += a[aOff + i] * b[bOff + i];
        return sum;
    }

    /** y[i] += alpha · x[i]. */
    public static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        FloatVector va = FloatVector.broadcast(S, alpha);
        for (; i <= n - 8; i += 8)
            FloatVector.fromArray(S, x, xOff + i).fma(va, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        for (; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    /** y[i] += x[i]. */
    public static void add(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (; i <= n - 8; i += 8)
            FloatVector.fromArray(S, x, xOff + i).add(FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        for (; i < n; i++) y[yOff + i] += x[xOff + i];
    }

    /** Lane sum in a fixed order: halves added lane-wise, then the four lanes left to right. */
    public static float sumLanes(FloatVector v) {
        FloatVector lo = (FloatVector) v.reinterpretShape(HALF, 0), hi = (FloatVector) v.reinterpretShape(HALF, 1);
        FloatVector q = lo.add(hi);
        return ((q.lane(0) + q.lane(1)) + q.lane(2)) + q.lane(3);
    }

    /**
     * e^x per lane from adds, multiplies and bit operations only (Cephes expf: x = n·ln2 + r, a
     * degree-6 polynomial for e^r, 2^n built in the exponent bits), so the result is the same in
     * every JIT tier. Relative error about 2e-7; inputs are clamped to [-87.3, 88.7].
     */
    public static FloatVector exp(FloatVector x) {
        x = x.max(-87.3f).min(88.7f);
        FloatVector n = x.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, ROUNDING_MAGIC)).sub(ROUNDING_MAGIC);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, 1.9875691500e-4f);
        p = p.fma(r, FloatVector.broadcast(S, 1.3981999507e-3f));
        p = p.fma(r, FloatVector.broadcast(S, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(S, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(S, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(S, 5.0000001201e-1f));
        FloatVector er = p.fma(r.mul(r), r).add(1f);
        IntVector bits = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        return er.mul((FloatVector) bits.reinterpretAsFloats());
    }
}
