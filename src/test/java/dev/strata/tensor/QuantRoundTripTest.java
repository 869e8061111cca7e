package dev.strata.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.tensor.quant.Quants;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import dev.strata.tensor.quant.GgmlType;

class QuantRoundTripTest {

    /** Upper bound on RMS(dequant(quant(x)) - x) / RMS(x) for gaussian-like data. */
    private static double relativeRmsBound(GgmlType t) {
        return switch (t) {
            case F32 -> 0;
            case F16 -> 3e-4;
            case BF16 -> 3e-3;
            case Q8_0 -> 0.008;
            case Q6_K -> 0.03;
            case Q5_0, Q5_1 -> 0.065;
            case Q5_K -> 0.05;
            case Q4_0 -> 0.11;
            case Q4_1 -> 0.1;
            case Q4_K -> 0.075;
            default -> throw new IllegalArgumentException(t.toString());
        };
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void quantizeThenDequantizeStaysCloseToTheInput(GgmlType type) {
        int n = 256 * 12;
        float[] x = TestTensors.gaussian(new Random(42 + type.id), n, 0.02f);
        byte[] q = Quants.quantize(type, x, 0, n);
        assertEquals(type.bytesFor(n), q.length);
        float[] y = Quants.dequantize(type, q, n);
        double err2 = 0, ref2 = 0;
        for (int i = 0; i < n; i++) {
            assertTrue(Float.isFinite(y[i]), "non-finite value at " + i);
            err2 += (y[i] - x[i]) * (double) (y[i] - x[i]);
            ref2 += (double) x[i] * x[i];
        }
        double rel = Math.sqrt(err2 / ref2);
        assertTrue(rel <= relativeRmsBound(type), type + " relative RMS error " + rel + " exceeds " + relativeRmsBound(type));
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void allZeroBlocksStayZero(GgmlType type) {
        int n = type.blockSize * 2;
        float[] y = Quants.dequantize(type, Quants.quantize(type, new float[n], 0, n), n);
        for (float v : y) assertEquals(0f, v, 0f); // -0.0 is fine: ggml computes (0-8)*0 too
    }

    @Test
    void q8_0BlockMatchesHandComputedValues() {
        float[] x = new float[32];
        for (int j = 0; j < 32; j++) x[j] = (j - 15.5f) * 0.25f;
        // amax = 3.875; d = 3.875/127 stored as fp16 = 2000 * 2^-16; quants use the unrounded d.
        double dF16 = 2000.0 / 65536.0;
        double dExact = 3.875 / 127.0;
        float[] y = Quants.dequantize(GgmlType.Q8_0, Quants.quantize(GgmlType.Q8_0, x, 0, 32), 32);
        for (int j = 0; j < 32; j++) {
            double ratio = x[j] / dExact;
            long q = (long) Math.signum(ratio) * (long) Math.floor(Math.abs(ratio) + 0.5);
            assertEquals(q * dF16, y[j], 0.0, "element " + j);
        }
        assertEquals(-127 * dF16, y[0], 0.0);
    }

    @Test
    void f16RoundTripMatchesHandComputedValues() {
        float[] x = {1.0f, 0.1f, 1.0f / 3, -2.5f, 65504f, 70000f, 1e-7f, 0f};
        double[] expected = {1.0, 0.0999755859375, 0.333251953125, -2.5, 65504.0, Double.POSITIVE_INFINITY, 2 * Math.pow(2, -24), 0.0};
        float[] y = Quants.dequantize(GgmlType.F16, Quants.quantize(GgmlType.F16, x, 0, x.length), x.length);
        for (int i = 0; i < x.length; i++) assertEquals(expected[i], y[i], 0.0, "value " + x[i]);
    }

    @Test
    void bf16RoundsToNearestEven() {
        // 1 + 2^-8 is exactly halfway between bf16 neighbours 1 and 1 + 2^-7: ties go to the even one (1).
        float[] x = {1f + 0x1p-8f, 1f + 0x1p-8f + 0x1p-20f, 1f + 3 * 0x1p-8f, -3.0f};
        double[] expected = {1.0, 1.0 + 0x1p-7, 1.0 + 4 * 0x1p-8, -3.0};
        float[] y = Quants.dequantize(GgmlType.BF16, Quants.quantize(GgmlType.BF16, x, 0, x.length), x.length);
        for (int i = 0; i < x.length; i++) assertEquals(expected[i], y[i], 0.0, "value " + x[i]);
    }

    @Test
    void q4_0BlockKeepsExtremesExact() {
        float[] x = new float[32];
        for (int j = 0; j < 32; j++) x[j] = (j % 16 - 8) * 0.5f;
        float[] y = Quants.dequantize(GgmlType.Q4_0, Quants.quantize(GgmlType.Q4_0, x, 0, 32), 32);
        // max-abs value is -4 -> d = 0.5 exactly, every input is a multiple of d in [-8d, 7d].
        assertArrayEquals(x, y, 0f);
    }

    @Test
    void partialBlocksAndUnsupportedTypesAreRejected() {
        assertThrows(StrataException.class, () -> Quants.quantize(GgmlType.Q4_K, new float[100], 0, 100));
        StrataException e = assertThrows(StrataException.class, () -> Quants.quantize(GgmlType.Q2_K, new float[256], 0, 256));
        assertTrue(e.getMessage().contains("Q2_K"));
    }
}
