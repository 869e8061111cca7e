package dev.strata.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp(x) on float vectors from additions, multiplications, fused multiply-adds, a conversion and a
 * shift only: every one of them is exactly defined, so the interpreter, C1 and C2 give the same bits.
 * The Vector API's own EXP op is an SVML call once C2 compiles it and Math.exp per lane before,
 * and the two differ in the last bit, so outputs would change as the JIT warms up.
 *
 * <p>exp(x) = 2^n * e^r with n = round(x / ln 2) and |r| &lt;= ln 2 / 2 (ln 2 split in two parts so
 * r is exact), e^r by its Taylor series to degree 7 (truncation below 6e-9 relative), 2^n built in
 * the exponent bits. Below -87.3 the result is 0, above 88.7 it stays at exp(88.7); accurate to a few ulp.
 */
final class VectorExp {
    private VectorExp() {}

    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 = LN2_HI + LN2_LO, LN2_HI with few enough bits that n * LN2_HI is exact for |n| &lt;= 128. */
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding and subtracting it rounds a float to the nearest integer (ties to even). */
    private static final float ROUNDER = 12582912f;
    private static final float LOW = -87.3f, HIGH = 88.7f;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float[] TAYLOR = {1f / 5040, 1f / 720, 1f / 120, 1f / 24, 1f / 6, 0.5f, 1f, 1f};

    /** x[off, off + n) = exp(x - shift) in place; vector loop and scalar tail give the same bits per value. */
    static void expShifted(float[] x, int off, int n, float shift) {
        int i = loop(x, off, null, 0, n, shift, false);
        for (; i < n; i++) x[off + i] = exp(x[off + i] - shift);
    }

    /** gate = silu(gate) * up = gate / (1 + exp(-gate)) * up, element by element. */
    static void siluMul(float[] gate, int gateOff, float[] up, int upOff, int n) {
        int i = loop(gate, gateOff, up, upOff, n, 0f, true);
        for (; i < n; i++) {
            float g = gate[gateOff + i];
            gate[gateOff + i] = g / (exp(-g) + 1f) * up[upOff + i];
        }
    }

    /**
     * Both vector loops in one method with exp written out in its body: a vector passed to or returned from
     * a method C2 does not inline is boxed on the heap, and C2 declined to inline a separate vector exp
     * ("already compiled into a medium method") often enough to allocate per token. The species is a constant for
     * the same reason: C2 compiles vector operations only on a species it knows. Returns where the tail starts.
     */
    private static int loop(float[] x, int xOff, float[] up, int upOff, int n, float shift, boolean silu) {
        FloatVector log2e = FloatVector.broadcast(S, LOG2E), rounder = FloatVector.broadcast(S, ROUNDER);
        FloatVector ln2Hi = FloatVector.broadcast(S, -LN2_HI), ln2Lo = FloatVector.broadcast(S, -LN2_LO);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            FloatVector a = silu ? v.neg() : v.sub(shift);
            VectorMask<Float> under = a.compare(VectorOperators.LT, LOW);
            FloatVector c = a.max(LOW).min(HIGH);
            FloatVector nf = c.fma(log2e, rounder).sub(ROUNDER);
            FloatVector r = nf.fma(ln2Hi, c);
            r = nf.fma(ln2Lo, r);
            // written out: a vector carried around a loop is boxed by C2 (its box elimination runs before loop unrolling)
            FloatVector p = FloatVector.broadcast(S, TAYLOR[0]).fma(r, FloatVector.broadcast(S, TAYLOR[1]));
            p = p.fma(r, FloatVector.broadcast(S, TAYLOR[2])).fma(r, FloatVector.broadcast(S, TAYLOR[3]));
            p = p.fma(r, FloatVector.broadcast(S, TAYLOR[4])).fma(r, FloatVector.broadcast(S, TAYLOR[5]));
            p = p.fma(r, FloatVector.broadcast(S, TAYLOR[6])).fma(r, FloatVector.broadcast(S, TAYLOR[7]));
            // 2^n for n in [-126, 128): (n + 127) in the exponent field; n = 128 (x near HIGH) splits in two halves
            IntVector ni = (IntVector) nf.convert(VectorOperators.F2I, 0);
            IntVector half = ni.lanewise(VectorOperators.ASHR, 1);
            FloatVector twoA = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector twoB = ni.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e = p.mul(twoA).mul(twoB).blend(0f, under);
            (silu ? v.div(e.add(1f)).mul(FloatVector.fromArray(S, up, upOff + i)) : e).intoArray(x, xOff + i);
        }
        return i;
    }

    /** The same arithmetic for one value (vector loop tails), so a value's bits do not depend on its position. */
    static float exp(float x) {
        if (x < LOW) return 0f;
        float c = Math.min(Math.max(x, LOW), HIGH);
        float n = Math.fma(c, LOG2E, ROUNDER) - ROUNDER;
        float r = Math.fma(n, -LN2_HI, c);
        r = Math.fma(n, -LN2_LO, r);
        float p = TAYLOR[0];
        for (int i = 1; i < TAYLOR.length; i++) p = Math.fma(p, r, TAYLOR[i]);
        int ni = (int) n, half = ni >> 1;
        return p * Float.intBitsToFloat((half + 127) << 23) * Float.intBitsToFloat((ni - half + 127) << 23);
    }
}
