package dev.strata.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/** The polynomial exp against Math.exp (double, then rounded), and its vector and scalar forms against each other. */
class VectorExpTest {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    @Test
    void withinFourUlpOfTheCorrectlyRoundedValueOverTheWholeRange() {
        Random rnd = new Random(11);
        double worst = 0;
        float at = 0;
        for (int i = 0; i < 2_000_000; i++) {
            float x = i < 1_000_000 ? -87f + 175.5f * rnd.nextFloat() : (float) rnd.nextGaussian() * 4;
            float want = (float) Math.exp(x), got = VectorExp.exp(x);
            double ulps = Math.abs(got - want) / Math.ulp(want);
            if (ulps > worst) {
                worst = ulps;
                at = x;
            }
        }
        assertTrue(worst <= 4, "worst error " + worst + " ulp at x = " + at);
    }

    @Test
    void edgesAreZeroOneAndFinite() {
        assertEquals(0f, VectorExp.exp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, VectorExp.exp(-100f));
        assertEquals(1f, VectorExp.exp(0f));
        assertEquals(1f, VectorExp.exp(-0f));
        assertTrue(Float.isFinite(VectorExp.exp(88.7f)) && VectorExp.exp(88.7f) > 3e38f);
        assertTrue(Float.isFinite(VectorExp.exp(1000f)));
        assertTrue(Float.isNaN(VectorExp.exp(Float.NaN)));
        assertEquals((float) Math.E, VectorExp.exp(1f), Math.ulp((float) Math.E) * 2);
    }

    /** Every lane of the vector form equals the scalar form bit for bit, so a value does not depend on its position in a call. */
    @Test
    void vectorLanesEqualTheScalarForm() {
        Random rnd = new Random(12);
        float[] x = new float[F.length() * 4096], y = new float[x.length];
        for (int i = 0; i < x.length; i++) x[i] = i % 97 == 0 ? -90f + i % 7 : (float) rnd.nextGaussian() * 20;
        System.arraycopy(x, 0, y, 0, x.length);
        VectorExp.expShifted(y, 0, y.length, 0f);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToRawIntBits(VectorExp.exp(x[i])), Float.floatToRawIntBits(y[i]), "x = " + x[i]);
        }
    }

    /** The shift is subtracted before exp, and silu * up takes the same exp in its vector loop and its tail. */
    @Test
    void shiftedAndSiluMatchTheScalarForm() {
        Random rnd = new Random(13);
        int n = F.length() * 64 + 5;
        float[] x = new float[n + 3], up = new float[n + 1];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian() * 12;
        for (int i = 0; i < up.length; i++) up[i] = (float) rnd.nextGaussian();
        float[] shifted = x.clone();
        VectorExp.expShifted(shifted, 3, n, 2.5f);
        float[] gate = x.clone();
        VectorExp.siluMul(gate, 3, up, 1, n);
        for (int i = 0; i < n; i++) {
            float g = x[3 + i];
            assertEquals(Float.floatToRawIntBits(VectorExp.exp(g - 2.5f)), Float.floatToRawIntBits(shifted[3 + i]), "exp at " + i);
            float silu = g / (VectorExp.exp(-g) + 1f) * up[1 + i];
            assertEquals(Float.floatToRawIntBits(silu), Float.floatToRawIntBits(gate[3 + i]), "silu at " + i);
        }
        for (int i = 0; i < 3; i++) assertEquals(x[i], shifted[i], "outside the range");
    }
}
