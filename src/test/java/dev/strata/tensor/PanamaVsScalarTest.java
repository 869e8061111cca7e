package dev.strata.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import dev.strata.tensor.quant.Activations;
import dev.strata.tensor.quant.GgmlType;

class PanamaVsScalarTest {
    private final KernelProvider scalar = Kernels.select("scalar");
    private final KernelProvider panama = Kernels.select("panama");

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void matmulAgreesWithScalar(GgmlType type) {
        int unit = type.isQuantized() ? type.blockSize : 32;
        int[] colCounts = type.blockSize == 256 ? new int[] {256, 512, 768} : new int[] {unit, 3 * unit, 7 * unit + (type.isQuantized() ? 0 : 5)};
        Random rnd = new Random(7 + type.id);
        for (int cols : colCounts) {
            for (int rows : new int[] {1, 3, 17, 33}) {
                Tensor w = TestTensors.quantized("w", type, TestTensors.gaussian(rnd, cols * rows, 0.05f), cols, rows);
                float[] wf = TestTensors.dequantizeAll(w);
                for (int nTokens : new int[] {1, 3, 5}) {
                    float[] x = TestTensors.gaussian(rnd, cols * nTokens, 1f);
                    Activations xs = scalar.prepare(type, x, nTokens, cols);
                    Activations xp = panama.prepare(type, x, nTokens, cols);
                    int stride = rows + 2;
                    float[] outS = new float[stride * nTokens];
                    float[] outP = new float[stride * nTokens];
                    scalar.matmul(w, xs, outS, stride, 0, rows);
                    panama.matmul(w, xp, outP, stride, 0, rows);
                    double[] xd = TestTensors.dequantize(xs);
                    for (int t = 0; t < nTokens; t++) {
                        for (int r = 0; r < rows; r++) {
                            double absSum = 0;
                            for (int c = 0; c < cols; c++) absSum += Math.abs(wf[r * cols + c] * xd[t * cols + c]);
                            String where = type + " cols=" + cols + " rows=" + rows + " tokens=" + nTokens + " t=" + t + " r=" + r;
                            assertEquals(outS[t * stride + r], outP[t * stride + r], 1e-5 * absSum + 1e-30, where);
                        }
                    }
                }
            }
        }
    }

    /**
     * Saturated blocks: every activation quantizes to +-127 and the weights span their full range,
     * so the int16 lane products, the 5th bits and the Q8_1 sums are at their extremes.
     */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void matmulAgreesWithScalarOnSaturatedBlocks(GgmlType type) {
        int cols = 3 * 256, rows = 5, nTokens = 2;
        Random rnd = new Random(31 + type.id);
        float[] wv = new float[cols * rows];
        for (int i = 0; i < wv.length; i++) wv[i] = (i % 3 == 0 ? -1 : 1) * (i % 32 == 0 ? 1f : rnd.nextFloat());
        Tensor w = TestTensors.quantized("w", type, wv, cols, rows);
        float[] x = new float[cols * nTokens];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextBoolean() ? 2.5f : -2.5f;
        float[] outS = new float[rows * nTokens], outP = new float[rows * nTokens];
        scalar.matmul(w, scalar.prepare(type, x, nTokens, cols), outS, rows, 0, rows);
        panama.matmul(w, panama.prepare(type, x, nTokens, cols), outP, rows, 0, rows);
        float[] wf = TestTensors.dequantizeAll(w);
        for (int t = 0; t < nTokens; t++) {
            for (int r = 0; r < rows; r++) {
                double absSum = 0;
                for (int c = 0; c < cols; c++) absSum += Math.abs(wf[r * cols + c] * x[t * cols + c]);
                assertEquals(outS[t * rows + r], outP[t * rows + r], 1e-5 * absSum, type + " t=" + t + " r=" + r);
            }
        }
    }

    @Test
    void matmulHonoursRowRangeAndStride() {
        int cols = 64, rows = 9;
        Tensor w = TestTensors.quantized("w", GgmlType.Q8_0, TestTensors.gaussian(new Random(3), cols * rows, 0.1f), cols, rows);
        Activations x = panama.prepare(GgmlType.Q8_0, TestTensors.gaussian(new Random(4), cols * 2, 1f), 2, cols);
        float[] out = new float[2 * 12];
        java.util.Arrays.fill(out, Float.NaN);
        panama.matmul(w, x, out, 12, 2, 5);
        for (int t = 0; t < 2; t++) {
            for (int r = 0; r < 12; r++) {
                boolean written = r >= 2 && r < 5;
                assertEquals(written, !Float.isNaN(out[t * 12 + r]), "t=" + t + " r=" + r);
            }
        }
    }

    @Test
    void vectorHelpersAgreeWithScalar() {
        Random rnd = new Random(11);
        for (int n : new int[] {1, 7, 33, 100}) {
            float[] a = TestTensors.gaussian(rnd, n + 3, 1f);
            float[] b = TestTensors.gaussian(rnd, n + 5, 1f);
            double absSum = 0;
            for (int i = 0; i < n; i++) absSum += Math.abs(a[i + 3] * b[i + 5]);
            assertEquals(scalar.dot(a, 3, b, 5, n), panama.dot(a, 3, b, 5, n), 1e-6 * absSum, "dot n=" + n);

            float[] ys = TestTensors.gaussian(new Random(n), n + 2, 1f);
            float[] yp = ys.clone();
            scalar.axpy(0.37f, a, 3, ys, 2, n);
            panama.axpy(0.37f, a, 3, yp, 2, n);
            for (int i = 0; i < n + 2; i++) assertEquals(ys[i], yp[i], 1e-6 * (1 + Math.abs(ys[i])), "axpy n=" + n + " i=" + i);

            float[] w = TestTensors.gaussian(rnd, n, 1f);
            float[] rs = new float[n + 1], rp = new float[n + 1];
            scalar.rmsnorm(rs, 1, a, 3, w, n, 1e-5f);
            panama.rmsnorm(rp, 1, a, 3, w, n, 1e-5f);
            for (int i = 0; i < n + 1; i++) assertEquals(rs[i], rp[i], 1e-6 * (1 + Math.abs(rs[i])), "rmsnorm n=" + n + " i=" + i);

            float[] gs = TestTensors.gaussian(rnd, n + 1, 3f);
            float[] gp = gs.clone();
            scalar.siluMul(gs, 1, b, 5, n);
            panama.siluMul(gp, 1, b, 5, n);
            for (int i = 0; i < n + 1; i++) assertEquals(gs[i], gp[i], 1e-6 * (1 + Math.abs(gs[i])), "siluMul n=" + n + " i=" + i);
        }
    }

    @Test
    void rmsnormMatchesFormula() {
        float[] x = {1, 2, 3, 4};
        float[] w = {1, 1, 2, 0.5f};
        float[] out = new float[4];
        scalar.rmsnorm(out, 0, x, 0, w, 4, 0f);
        double scale = 1 / Math.sqrt(30.0 / 4);
        for (int i = 0; i < 4; i++) assertEquals(x[i] * scale * w[i], out[i], 1e-6);
        assertTrue(out[3] > 0);
    }

    @Test
    void halfToFloatHandlesEveryBitPattern() {
        short[] all = new short[65536];
        for (int i = 0; i < all.length; i++) all[i] = (short) i;
        java.lang.foreign.MemorySegment seg = java.lang.foreign.MemorySegment.ofArray(all);
        for (int i = 0; i < all.length; i += 8) {
            float[] got = new float[8];
            PanamaKernels.halfToFloat(jdk.incubator.vector.ShortVector.fromMemorySegment(
                    jdk.incubator.vector.ShortVector.SPECIES_128, seg, 2L * i, java.nio.ByteOrder.nativeOrder())).intoArray(got, 0);
            for (int k = 0; k < 8; k++) {
                float want = Float.float16ToFloat(all[i + k]);
                if (Float.isNaN(want)) assertTrue(Float.isNaN(got[k]), "bits " + (i + k));
                else assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got[k]), "bits " + (i + k));
            }
        }
    }
}
