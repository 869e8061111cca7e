package dev.strata.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import dev.strata.tensor.quant.Activations;
import dev.strata.tensor.quant.GgmlType;

/**
 * libstrata's matmuls (AVX2 path and portable C path) against the scalar reference. Skipped when
 * the library was not built (no C compiler), so the suite passes with and without it.
 */
class NativeVsScalarTest {
    private final KernelProvider scalar = Kernels.select("scalar");

    @BeforeEach
    void requireLibrary() {
        assumeTrue(NativeLibrary.isAvailable(), "libstrata not available: " + NativeLibrary.unavailableReason());
    }

    @ParameterizedTest(name = "{0} simd={1}")
    @CsvSource({"Q8_0,true", "Q8_0,false", "Q4_0,true", "Q4_0,false", "Q4_K,true", "Q4_K,false", "Q6_K,true", "Q6_K,false"})
    void matmulAgreesWithScalar(GgmlType type, boolean simd) {
        KernelProvider nat = new NativeKernels(simd);
        int[] colCounts = type.blockSize == 256 ? new int[] {256, 512, 1280} : new int[] {32, 96, 224, 1024};
        Random rnd = new Random(17 + type.id);
        for (int cols : colCounts) {
            for (int rows : new int[] {1, 3, 17, 33}) {
                Tensor w = TestTensors.quantized("w", type, TestTensors.gaussian(rnd, cols * rows, 0.05f), cols, rows);
                for (int nTokens : new int[] {1, 2, 3, 4, 5, 9}) {
                    compare(type, nat, w, TestTensors.gaussian(rnd, cols * nTokens, 1f), nTokens, 0, rows, rows + 2);
                }
            }
        }
    }

    /** Enough rows of a wide matrix to span several row tiles, with a range not starting at a tile edge. */
    @ParameterizedTest
    @CsvSource({"Q8_0", "Q4_0", "Q4_K", "Q6_K"})
    void tiledRowRangesInNativeMemory(GgmlType type) {
        int cols = 4096, rows = 61, nTokens = 7;
        Random rnd = new Random(5 + type.id);
        Tensor heap = TestTensors.quantized("w", type, TestTensors.gaussian(rnd, cols * rows, 0.05f), cols, rows);
        try (Arena arena = Arena.ofConfined()) {
            // weights live off-heap in real use (a mapped file); copy them there, at an odd offset
            MemorySegment seg = arena.allocate(heap.data().byteSize() + 3).asSlice(3);
            seg.copyFrom(heap.data());
            Tensor w = new Tensor("w", type, heap.shape(), seg);
            compare(type, new NativeKernels(), w, TestTensors.gaussian(rnd, cols * nTokens, 1f), nTokens, 5, 58, rows);
        }
    }

    /** Prefill (many tokens, one call) and decode (token by token, row slices) give the same bits. */
    @ParameterizedTest
    @CsvSource({"Q8_0", "Q4_0", "Q4_K", "Q6_K"})
    void batchingAndRowSplitsDoNotChangeBits(GgmlType type) {
        int cols = 512, rows = 23, nTokens = 7;
        Random rnd = new Random(31 + type.id);
        Tensor w = TestTensors.quantized("w", type, TestTensors.gaussian(rnd, cols * rows, 0.05f), cols, rows);
        float[] x = TestTensors.gaussian(rnd, cols * nTokens, 1f);
        KernelProvider nat = new NativeKernels();
        float[] batched = new float[rows * nTokens];
        nat.matmul(w, nat.prepare(type, x, nTokens, cols), batched, rows, 0, rows);
        for (int t = 0; t < nTokens; t++) {
            Activations one = nat.prepare(type, Arrays.copyOfRange(x, t * cols, (t + 1) * cols), 1, cols);
            float[] single = new float[rows];
            for (int[] range : new int[][] {{0, 5}, {5, 6}, {6, rows}}) nat.matmul(w, one, single, rows, range[0], range[1]);
            for (int r = 0; r < rows; r++) {
                assertEquals(Float.floatToIntBits(batched[t * rows + r]), Float.floatToIntBits(single[r]), type + " t=" + t + " r=" + r);
            }
        }
    }

    @Test
    void writesOnlyTheRequestedRowsAndTokens() {
        int cols = 64, rows = 9, stride = 12;
        Tensor w = TestTensors.quantized("w", GgmlType.Q4_0, TestTensors.gaussian(new Random(3), cols * rows, 0.1f), cols, rows);
        Activations x = scalar.prepare(GgmlType.Q4_0, TestTensors.gaussian(new Random(4), cols * 6, 1f), 6, cols);
        float[] out = new float[6 * stride + 5];
        Arrays.fill(out, Float.NaN);
        new NativeKernels().matmul(w, x, out, stride, 2, 5);
        for (int i = 0; i < out.length; i++) {
            int t = i / stride, r = i % stride;
            boolean written = t < 6 && r >= 2 && r < 5;
            assertEquals(written, !Float.isNaN(out[i]), "t=" + t + " r=" + r);
        }
    }

    @Test
    void uncoveredTypesGoThroughPanama() {
        int cols = 96, rows = 5;
        KernelProvider panama = Kernels.select("panama");
        for (GgmlType type : new GgmlType[] {GgmlType.F32, GgmlType.F16, GgmlType.Q5_0, GgmlType.Q5_K}) {
            int c = type.blockSize == 256 ? 256 : cols;
            Tensor w = TestTensors.quantized("w", type, TestTensors.gaussian(new Random(9), c * rows, 0.1f), c, rows);
            Activations x = panama.prepare(type, TestTensors.gaussian(new Random(10), c * 2, 1f), 2, c);
            float[] want = new float[2 * rows], got = new float[2 * rows];
            panama.matmul(w, x, want, rows, 0, rows);
            new NativeKernels().matmul(w, x, got, rows, 0, rows);
            assertTrue(Arrays.equals(want, got), type.toString());
        }
    }

    private void compare(GgmlType type, KernelProvider nat, Tensor w, float[] x, int nTokens, int rowStart, int rowEnd, int stride) {
        int cols = w.cols();
        Activations xs = scalar.prepare(type, x, nTokens, cols);
        float[] outS = new float[stride * nTokens];
        float[] outN = new float[stride * nTokens];
        scalar.matmul(w, xs, outS, stride, rowStart, rowEnd);
        nat.matmul(w, xs, outN, stride, rowStart, rowEnd);
        float[] wf = TestTensors.dequantizeAll(w);
        double[] xd = TestTensors.dequantize(xs);
        for (int t = 0; t < nTokens; t++) {
            for (int r = rowStart; r < rowEnd; r++) {
                double absSum = 0;
                for (int c = 0; c < cols; c++) absSum += Math.abs(wf[r * cols + c] * xd[t * cols + c]);
                String where = type + " " + nat.name() + " cols=" + cols + " rows=" + w.rows() + " tokens=" + nTokens + " t=" + t + " r=" + r;
                assertEquals(outS[t * stride + r], outN[t * stride + r], 1e-5 * absSum + 1e-30, where);
            }
        }
    }
}
