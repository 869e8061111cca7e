package dev.strata.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import dev.strata.tensor.quant.Activations;
import dev.strata.tensor.quant.GgmlType;

/**
 * The panama batch path (full 4x4 tiles, row/token edges, several column chunks, a row sub-range)
 * against the scalar per-row integer dots, with the float64 bound of PanamaVsScalarTest.
 */
class TiledMatmulTest {
    private final KernelProvider scalar = Kernels.select("scalar");
    private final KernelProvider panama = Kernels.select("panama");

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void batchMatmulAgreesWithScalar(GgmlType type) {
        int cols = type.isQuantized() ? 1280 : 1285;
        int rows = 75, nTokens = 11, stride = rows + 3;
        Random rnd = new Random(5 + type.id);
        Tensor w = TestTensors.quantized("w", type, TestTensors.gaussian(rnd, cols * rows, 0.05f), cols, rows);
        float[] wf = TestTensors.dequantizeAll(w);
        float[] x = TestTensors.gaussian(rnd, cols * nTokens, 1f);
        Activations xs = scalar.prepare(type, x, nTokens, cols);
        Activations xp = panama.prepare(type, x, nTokens, cols);
        float[] outS = new float[stride * nTokens], outP = new float[stride * nTokens];
        java.util.Arrays.fill(outP, Float.NaN);
        scalar.matmul(w, xs, outS, stride, 0, rows);
        panama.matmul(w, xp, outP, stride, 0, 6);
        panama.matmul(w, xp, outP, stride, 6, rows);
        double[] xd = TestTensors.dequantize(xs);
        for (int t = 0; t < nTokens; t++) {
            for (int r = 0; r < stride; r++) {
                String where = type + " t=" + t + " r=" + r;
                if (r >= rows) {
                    assertEquals(Float.NaN, outP[t * stride + r], where + " (outside the rows: untouched)");
                    continue;
                }
                double absSum = 0;
                for (int c = 0; c < cols; c++) absSum += Math.abs(wf[r * cols + c] * xd[t * cols + c]);
                assertEquals(outS[t * stride + r], outP[t * stride + r], 1e-5 * absSum + 1e-30, where);
            }
        }
    }

    @Test
    void batchMatmulIsBitStableAcrossJitCompilation() {
        int cols = 1024, rows = 9, n = 6;
        Random rnd = new Random(9);
        Tensor w = TestTensors.quantized("w", GgmlType.Q8_0, TestTensors.gaussian(rnd, cols * rows, 0.05f), cols, rows);
        Activations x = panama.prepare(GgmlType.Q8_0, TestTensors.gaussian(rnd, cols * n, 1f), n, cols);
        float[] first = new float[rows * n], out = new float[rows * n];
        panama.matmul(w, x, first, rows, 0, rows);
        for (int i = 0; i < 5_000; i++) {
            panama.matmul(w, x, out, rows, 0, rows);
            if (i % 500 == 0) assertArrayEquals(first, out, "call " + i);
        }
        assertArrayEquals(first, out);
    }
}
