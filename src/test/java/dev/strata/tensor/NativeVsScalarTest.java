package dev.strata.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import dev.strata.tensor.quant.Activations;
import dev.strata.tensor.quant.GgmlType;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * libstrata's matmuls at every instruction-set level the CPU runs against the scalar reference,
 * for every covered type, odd row counts and 1, 3, 5, 8 and 17 tokens (tile edges of every shape).
 * Levels this CPU lacks skip with the reason; the library itself missing skips the class.
 */
class NativeVsScalarTest {
    static final GgmlType[] TYPES = {GgmlType.Q4_0, GgmlType.Q8_0, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K, GgmlType.F16, GgmlType.BF16};
    static final int[] TOKENS = {1, 3, 5, 8, 17};
    private static final KernelProvider scalar = Kernels.select("scalar");

    @BeforeEach
    void requireLibrary() {
        assumeTrue(NativeLibrary.isAvailable(), "libstrata not available: " + NativeLibrary.unavailableReason());
    }

    static Stream<Arguments> levelsAndTypes() {
        return Arrays.stream(NativeLevel.values()).flatMap(l -> Arrays.stream(TYPES).map(t -> Arguments.of(l, t)));
    }

    static void assumeCpuRuns(NativeLevel level) {
        assumeTrue(NativeLibrary.cpuRuns(level),
                "this CPU lacks " + level.label() + " (its best is " + NativeLibrary.cpuLevel().label() + "); that level is tested on CPUs that have it");
    }

    /** Column counts that hit every tail: odd block counts (the zmm pair tail) and, for F16/BF16, partial vectors. */
    static int[] colCounts(GgmlType type) {
        if (type.blockSize == 256) return new int[] {256, 768};
        if (type.blockSize == 32) return new int[] {32, 96, 224, 1056};
        return new int[] {8, 200, 1031};
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("levelsAndTypes")
    void matmulAgreesWithScalar(NativeLevel level, GgmlType type) {
        assumeCpuRuns(level);
        KernelProvider nat = new NativeKernels(level);
        Random rnd = new Random(17 + type.id);
        List<String> failures = new ArrayList<>();
        for (int cols : colCounts(type)) {
            for (int rows : new int[] {1, 3, 7, 17}) {
                Tensor w = TestTensors.quantized("w", type, TestTensors.gaussian(rnd, cols * rows, 0.05f), cols, rows);
                for (int nTokens : TOKENS) {
                    failures.addAll(mismatches(type, nat, w, w, TestTensors.gaussian(rnd, cols * nTokens, 1f), nTokens, 0, rows, rows + 2));
                }
            }
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " mismatches, first: " + failures.getFirst());
    }

    /**
     * The comparison catches a kernel with one broken lane (the same 4 bytes of every block read
     * wrongly) and one whose accumulator drops the last block of a row: the native result over
     * perturbed weights must be flagged against scalar over the true ones, at every level and type.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("levelsAndTypes")
    void comparisonDetectsABrokenLaneAndADroppedBlock(NativeLevel level, GgmlType type) {
        assumeCpuRuns(level);
        KernelProvider nat = new NativeKernels(level);
        Random rnd = new Random(3 + type.id);
        int cols = type.blockSize == 256 ? 768 : type.blockSize == 32 ? 1056 : 1024, rows = 5;
        Tensor w = TestTensors.quantized("w", type, TestTensors.gaussian(rnd, cols * rows, 0.05f), cols, rows);
        for (int nTokens : new int[] {1, 5}) {
            float[] x = TestTensors.gaussian(rnd, cols * nTokens, 1f);
            assertTrue(mismatches(type, nat, w, w, x, nTokens, 0, rows, rows).isEmpty(), "unperturbed " + type);
            for (int lane = 0; lane < 4; lane++) {
                Tensor broken = perturbLane(w, lane);
                assertFalse(mismatches(type, nat, w, broken, x, nTokens, 0, rows, rows).isEmpty(), type + " lane " + lane + " not caught");
            }
            assertFalse(mismatches(type, nat, w, dropLastBlock(w), x, nTokens, 0, rows, rows).isEmpty(), type + " dropped last block not caught");
        }
    }

    /** Weights with bytes 4*lane .. 4*lane+3 of every block's quants (every 64 bytes for F16/BF16) flipped. */
    static Tensor perturbLane(Tensor w, int lane) {
        GgmlType type = w.type();
        int period = type.isQuantized() ? type.typeSize : 64;
        int quants = switch (type) {
            case Q4_0, Q8_0 -> 2;
            case Q4_K -> 16;
            case Q5_K -> 48;
            default -> 0; // Q6_K ql, F16/BF16 values
        };
        return copyWith(w, seg -> {
            for (long o = 0; o < seg.byteSize(); o += period) {
                for (int i = 0; i < 4; i++) {
                    long at = o + quants + 4L * lane + i;
                    seg.set(ValueLayout.JAVA_BYTE, at, (byte) (seg.get(ValueLayout.JAVA_BYTE, at) ^ 0x22));
                }
            }
        });
    }

    /** Weights whose last block of each row contributes nothing (its scales, or its values, zeroed). */
    static Tensor dropLastBlock(Tensor w) {
        GgmlType type = w.type();
        return copyWith(w, seg -> {
            for (int r = 0; r < w.rows(); r++) {
                long end = w.rowOffset(r) + w.rowBytes();
                switch (type) {
                    case Q4_0, Q8_0, Q4_K, Q5_K -> seg.asSlice(end - type.typeSize, 4).fill((byte) 0);
                    case Q6_K -> seg.asSlice(end - 2, 2).fill((byte) 0);
                    default -> seg.asSlice(end - 64, 64).fill((byte) 0);
                }
            }
        });
    }

    static Tensor copyWith(Tensor w, java.util.function.Consumer<MemorySegment> edit) {
        MemorySegment copy = MemorySegment.ofArray(new byte[(int) w.data().byteSize()]);
        copy.copyFrom(w.data());
        edit.accept(copy);
        return new Tensor(w.name(), w.type(), w.shape(), copy);
    }

    /** Enough rows of a wide matrix to span several row tiles, with a range not starting at a tile edge. */
    @ParameterizedTest
    @CsvSource({"Q8_0", "Q4_0", "Q4_K", "Q5_K", "Q6_K", "F16", "BF16"})
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
    @CsvSource({"Q8_0", "Q4_0", "Q4_K", "Q5_K", "Q6_K", "F16", "BF16"})
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
        for (GgmlType type : new GgmlType[] {GgmlType.F32, GgmlType.Q5_0, GgmlType.Q4_1}) {
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
        List<String> failures = mismatches(type, nat, w, w, x, nTokens, rowStart, rowEnd, stride);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /**
     * Where native over {@code tested} differs from scalar over {@code w} by more than float
     * rounding: 1e-5 of the sum of |w x| terms, the scale of the summation-order error.
     */
    static List<String> mismatches(GgmlType type, KernelProvider nat, Tensor w, Tensor tested, float[] x, int nTokens,
                                    int rowStart, int rowEnd, int stride) {
        int cols = w.cols();
        Activations xs = scalar.prepare(type, x, nTokens, cols);
        float[] outS = new float[stride * nTokens];
        float[] outN = new float[stride * nTokens];
        scalar.matmul(w, xs, outS, stride, rowStart, rowEnd);
        nat.matmul(tested, xs, outN, stride, rowStart, rowEnd);
        float[] wf = TestTensors.dequantizeAll(w);
        double[] xd = TestTensors.dequantize(xs);
        List<String> failures = new ArrayList<>();
        for (int t = 0; t < nTokens; t++) {
            for (int r = rowStart; r < rowEnd; r++) {
                double absSum = 0;
                for (int c = 0; c < cols; c++) absSum += Math.abs(wf[r * cols + c] * xd[t * cols + c]);
                double want = outS[t * stride + r], got = outN[t * stride + r];
                if (!(Math.abs(want - got) <= 1e-5 * absSum + 1e-30)) {
                    failures.add(type + " " + nat.name() + " cols=" + cols + " rows=" + w.rows() + " tokens=" + nTokens
                            + " t=" + t + " r=" + r + ": " + got + " vs " + want);
                }
            }
        }
        return failures;
    }
}
