package dev.strata.train.ops;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GemmTest {
    private final Gemm gemm = new Gemm();

    @Test
    void matchesDoublePrecisionReferenceForAllStrideLayoutsAndEdgeSizes() {
        SplittableRandom rng = new SplittableRandom(1);
        int[][] shapes = {{1, 1, 1}, {6, 16, 3}, {7, 17, 5}, {13, 40, 300}, {100, 33, 70}, {97, 1030, 9}, {5, 3, 600}, {33, 48, 520}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (int layout = 0; layout < 4; layout++) {
                boolean transposedA = (layout & 1) != 0, transposedB = (layout & 2) != 0;
                for (boolean accumulate : new boolean[] {false, true}) {
                    float[] a = random(rng, m * k + 3), b = random(rng, Math.max(k * (n + 2), n * (k + 1)) + 1), c = random(rng, m * (n + 1) + 2);
                    int aRs = transposedA ? 1 : k, aCs = transposedA ? m : 1;
                    int bRs = transposedB ? 1 : n + 2, bCs = transposedB ? k + 1 : 1;
                    double[] expected = new double[m * n];
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < n; j++) {
                            double sum = accumulate ? c[2 + i * (n + 1) + j] : 0;
                            for (int p = 0; p < k; p++) sum += (double) a[3 + i * aRs + p * aCs] * b[1 + p * bRs + j * bCs];
                            expected[i * n + j] = sum;
                        }
                    float padBefore = c[1];
                    gemm.multiply(m, n, k, a, 3, aRs, aCs, b, 1, bRs, bCs, c, 2, n + 1, accumulate);
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < n; j++)
                            assertEquals(expected[i * n + j], c[2 + i * (n + 1) + j], 1e-4 * Math.sqrt(k) + 1e-5,
                                    "m=" + m + " n=" + n + " k=" + k + " at " + i + "," + j);
                    assertEquals(padBefore, c[1]);
                }
            }
        }
    }

    @Test
    void leavesElementsOutsideTheOutputRowsUntouched() {
        float[] a = {1, 2, 3, 4}, b = {1, 0, 0, 1};
        float[] c = {9, 9, 9, 9, 9, 9};
        gemm.multiply(2, 2, 2, a, 0, 2, 1, b, 0, 2, 1, c, 0, 3, false);
        assertArrayEquals(new float[] {1, 2, 9, 3, 4, 9}, c);
    }

    @Test
    void prePackedOperandServesColumnPrefixes() {
        SplittableRandom rng = new SplittableRandom(4);
        int k = 24, n = 50, ld = 30;
        float[] b = random(rng, n * ld), packed = new float[Gemm.packedSize(k, n)];
        Gemm.packOnce(packed, b, 2, 1, ld, k, n); // B(k, n) = b[2 + n*ld + k], a transposed operand
        for (int cols : new int[] {1, 16, 33, 50}) {
            int m = 9;
            float[] a = random(rng, m * k), viaPack = new float[m * cols], direct = new float[m * cols];
            gemm.multiplyPacked(m, cols, k, a, 0, k, 1, packed, viaPack, 0, cols, false);
            gemm.multiply(m, cols, k, a, 0, k, 1, b, 2, 1, ld, direct, 0, cols, false);
            assertArrayEquals(direct, viaPack, 1e-5f, "columns " + cols);
        }
    }

    @Test
    void prePackedOperandServesRowPrefixes() {
        SplittableRandom rng = new SplittableRandom(5);
        int packedK = 40, n = 37, ld = 45, m = 11;
        float[] b = random(rng, packedK * ld + 3), packed = new float[Gemm.packedSize(packedK, n)];
        Gemm.packOnce(packed, b, 3, ld, 1, packedK, n); // B(k, n) = b[3 + k*ld + n], row-major
        for (int k : new int[] {1, 16, 23, 40}) {
            float[] a = random(rng, m * k), c = random(rng, m * n);
            double[] expected = new double[m * n];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double sum = c[i * n + j];
                    for (int p = 0; p < k; p++) sum += (double) a[i * k + p] * b[3 + p * ld + j];
                    expected[i * n + j] = sum;
                }
            gemm.multiplyPacked(m, n, k, a, 0, k, 1, packed, packedK, c, 0, n, true);
            for (int i = 0; i < m * n; i++) assertEquals(expected[i], c[i], 1e-5, "k=" + k + " at " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> gemm.multiplyPacked(1, 1, 41, new float[41], 0, 41, 1, packed, packedK, new float[1], 0, 1, false));
    }

    @Test
    void peakMeasurementIsPositive() {
        assertTrue(PeakFlops.measure(1, 0.05) > 1e8);
    }

    static float[] random(SplittableRandom rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rng.nextDouble() * 2 - 1);
        return x;
    }
}
