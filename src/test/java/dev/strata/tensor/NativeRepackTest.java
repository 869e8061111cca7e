package dev.strata.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.tensor.quant.Activations;
import dev.strata.tensor.quant.GgmlType;
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
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernels over repacked Q4_0/Q8_0 weights (16-row interleaved copies, {@link NativeRepack})
 * against the scalar reference over the original layout, at every level that has them: row counts
 * that are not a multiple of 16 (the padded last group), row ranges that start and end inside a
 * group (masked stores), odd block counts and 1, 3, 5, 8 and 17 tokens (every token-tile edge).
 */
class NativeRepackTest {
    static final GgmlType[] TYPES = {GgmlType.Q4_0, GgmlType.Q8_0};

    @BeforeEach
    void requireLibrary() {
        assumeTrue(NativeLibrary.isAvailable(), "libstrata not available: " + NativeLibrary.unavailableReason());
    }

    static Stream<Arguments> levelsAndTypes() {
        return Stream.of(NativeLevel.AVX2, NativeLevel.AVXVNNI, NativeLevel.AVX512VNNI)
                .flatMap(l -> Arrays.stream(TYPES).map(t -> Arguments.of(l, t)));
    }

    /** Skips levels the CPU lacks, and (level, type) pairs without a packed kernel (avx2 keeps Q8_0 on row tiles). */
    static void assumePacked(NativeLevel level, GgmlType type) {
        NativeVsScalarTest.assumeCpuRuns(level);
        assumeTrue(NativeRepack.supports(type, level), level.label() + " has no repacked " + type + " kernel");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("levelsAndTypes")
    void repackedMatmulAgreesWithScalar(NativeLevel level, GgmlType type) {
        assumePacked(level, type);
        NativeKernels nat = new NativeKernels(level);
        Random rnd = new Random(41 + type.id);
        List<String> failures = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            for (int cols : new int[] {32, 96, 1056}) {
                for (int rows : new int[] {1, 3, 7, 16, 17, 33, 50}) {
                    Tensor w = TestTensors.quantized("w", type, TestTensors.gaussian(rnd, cols * rows, 0.05f), cols, rows);
                    Tensor packed = nat.repack(w, arena);
                    assertNotNull(packed.packed(), "not repacked: " + w);
                    for (int nTokens : NativeVsScalarTest.TOKENS) {
                        float[] x = TestTensors.gaussian(rnd, cols * nTokens, 1f);
                        int split = rows / 3;
                        // two calls whose boundary falls inside a 16-row group, as a thread split may
                        failures.addAll(NativeVsScalarTest.mismatches(type, nat, w, packed, x, nTokens, 0, split, rows + 2));
                        failures.addAll(NativeVsScalarTest.mismatches(type, nat, w, packed, x, nTokens, split, rows, rows + 2));
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " mismatches, first: " + failures.getFirst());
    }

    /**
     * The comparison catches a packed kernel that reads one lane of a group wrongly (bytes of one
     * row in one chunk of every block flipped), one that mixes up the rows' scales, and one that
     * drops the last block: each corrupted copy must be flagged against scalar over the true weights.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("levelsAndTypes")
    void comparisonDetectsACorruptedLaneScaleOrBlock(NativeLevel level, GgmlType type) {
        assumePacked(level, type);
        NativeKernels nat = new NativeKernels(level);
        int cols = 96, rows = 21, bb = type.typeSize, group = NativeRepack.GROUP_ROWS * bb;
        Random rnd = new Random(7 + type.id);
        Tensor w = TestTensors.quantized("w", type, TestTensors.gaussian(rnd, cols * rows, 0.05f), cols, rows);
        float[] x = TestTensors.gaussian(rnd, cols * 5, 1f);
        try (Arena arena = Arena.ofConfined()) {
            Tensor packed = nat.repack(w, arena);
            assertTrue(NativeVsScalarTest.mismatches(type, nat, w, packed, x, 5, 0, rows, rows).isEmpty(), "unperturbed " + type);
            for (int lane : new int[] {0, 5, 15}) {
                int row = lane;
                Tensor broken = edited(packed, arena, seg -> {
                    for (long b = 0; b < seg.byteSize(); b += group) flip(seg, b + 32 + 64 + 4L * row, 4);
                });
                assertFalse(NativeVsScalarTest.mismatches(type, nat, w, broken, x, 5, 0, rows, rows).isEmpty(), type + " lane " + lane + " not caught");
            }
            Tensor swappedScales = edited(packed, arena, seg -> {
                for (long b = 0; b < seg.byteSize(); b += group) {
                    short s0 = seg.get(ValueLayout.JAVA_SHORT_UNALIGNED, b), s1 = seg.get(ValueLayout.JAVA_SHORT_UNALIGNED, b + 2);
                    seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, b, s1);
                    seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, b + 2, s0);
                }
            });
            assertFalse(NativeVsScalarTest.mismatches(type, nat, w, swappedScales, x, 5, 0, rows, rows).isEmpty(), type + " swapped scales not caught");
            long groupBytes = NativeRepack.GROUP_ROWS * w.rowBytes();
            Tensor dropped = edited(packed, arena, seg -> {
                for (long g = 0; g < seg.byteSize(); g += groupBytes) seg.asSlice(g + groupBytes - group, 32).fill((byte) 0);
            });
            assertFalse(NativeVsScalarTest.mismatches(type, nat, w, dropped, x, 5, 0, rows, rows).isEmpty(), type + " dropped last block not caught");
        }
    }

    /** Prefill and token-by-token decode over row slices give the same bits over the packed copy too. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("levelsAndTypes")
    void batchingAndRowSplitsDoNotChangeBits(NativeLevel level, GgmlType type) {
        assumePacked(level, type);
        NativeKernels nat = new NativeKernels(level);
        int cols = 512, rows = 45, nTokens = 11;
        Random rnd = new Random(31 + type.id);
        Tensor w = TestTensors.quantized("w", type, TestTensors.gaussian(rnd, cols * rows, 0.05f), cols, rows);
        float[] x = TestTensors.gaussian(rnd, cols * nTokens, 1f);
        try (Arena arena = Arena.ofConfined()) {
            Tensor packed = nat.repack(w, arena);
            float[] batched = new float[rows * nTokens];
            nat.matmul(packed, nat.prepare(type, x, nTokens, cols), batched, rows, 0, rows);
            for (int t = 0; t < nTokens; t++) {
                Activations one = nat.prepare(type, Arrays.copyOfRange(x, t * cols, (t + 1) * cols), 1, cols);
                float[] single = new float[rows];
                for (int[] range : new int[][] {{0, 5}, {5, 6}, {6, 22}, {22, rows}}) nat.matmul(packed, one, single, rows, range[0], range[1]);
                for (int r = 0; r < rows; r++) {
                    assertEquals(Float.floatToIntBits(batched[t * rows + r]), Float.floatToIntBits(single[r]), type + " t=" + t + " r=" + r);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("levelsAndTypes")
    void writesOnlyTheRequestedRowsAndTokens(NativeLevel level, GgmlType type) {
        assumePacked(level, type);
        NativeKernels nat = new NativeKernels(level);
        int cols = 64, rows = 40, stride = 43, nTokens = 6;
        Tensor w = TestTensors.quantized("w", type, TestTensors.gaussian(new Random(3), cols * rows, 0.1f), cols, rows);
        Activations x = nat.prepare(type, TestTensors.gaussian(new Random(4), cols * nTokens, 1f), nTokens, cols);
        try (Arena arena = Arena.ofConfined()) {
            Tensor packed = nat.repack(w, arena);
            float[] out = new float[nTokens * stride + 5];
            Arrays.fill(out, Float.NaN);
            nat.matmul(packed, x, out, stride, 3, 37);
            for (int i = 0; i < out.length; i++) {
                int t = i / stride, r = i % stride;
                boolean written = t < nTokens && r >= 3 && r < 37;
                assertEquals(written, !Float.isNaN(out[i]), "t=" + t + " r=" + r);
            }
        }
    }

    /** The switch: -Dstrata.repack=0 leaves weights as they are; types and shapes without a packed kernel are never copied. */
    @Test
    void switchAndUncoveredTypesLeaveWeightsAlone() {
        NativeKernels nat = new NativeKernels();
        Tensor q4 = TestTensors.quantized("w", GgmlType.Q4_0, TestTensors.gaussian(new Random(1), 64 * 3, 0.1f), 64, 3);
        Tensor f16 = TestTensors.quantized("w", GgmlType.F16, TestTensors.gaussian(new Random(1), 64 * 3, 0.1f), 64, 3);
        try (Arena arena = Arena.ofConfined()) {
            assertSame(f16, nat.repack(f16, arena));
            String before = System.getProperty("strata.repack");
            System.setProperty("strata.repack", "0");
            try {
                assertFalse(NativeRepack.enabled());
                assertNull(nat.repack(q4, arena).packed());
                assertTrue(NativeLibrary.describe().contains("repack off") || !NativeRepack.supports(GgmlType.Q4_0, nat.level()), NativeLibrary.describe());
            } finally {
                if (before == null) System.clearProperty("strata.repack");
                else System.setProperty("strata.repack", before);
            }
            assumeTrue(NativeRepack.supports(GgmlType.Q4_0, nat.level()), "no repacked Q4_0 at " + nat.level().label());
            Tensor packed = nat.repack(q4, arena);
            assertEquals(16 * q4.rowBytes(), packed.packed().byteSize(), "3 rows pad to one 16-row group");
            assertTrue(NativeLibrary.describe().contains("repack q4_0"), NativeLibrary.describe());
        }
    }

    private static Tensor edited(Tensor packed, Arena arena, java.util.function.Consumer<MemorySegment> edit) {
        MemorySegment copy = arena.allocate(packed.packed().byteSize(), 64);
        copy.copyFrom(packed.packed());
        edit.accept(copy);
        return packed.withPacked(copy);
    }

    private static void flip(MemorySegment seg, long at, int n) {
        for (int i = 0; i < n; i++) seg.set(ValueLayout.JAVA_BYTE, at + i, (byte) (seg.get(ValueLayout.JAVA_BYTE, at + i) ^ 0x22));
    }

    /**
     * The quantizer's block sums (passed so that a matmul split into many calls does not recount them)
     * give the bits the kernel's own count gives; wrong sums change the result, so they are really read.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("levelsAndTypes")
    void givenBlockSumsMatchTheKernelsOwnCount(NativeLevel level, GgmlType type) {
        assumePacked(level, type);
        NativeKernels nat = new NativeKernels(level);
        int cols = 256, rows = 48, tokens = 5;
        Random rnd = new Random(3 + type.id);
        Tensor w = TestTensors.quantized("w", type, TestTensors.gaussian(rnd, cols * rows, 0.05f), cols, rows);
        float[] x = TestTensors.gaussian(rnd, cols * tokens, 1f);
        try (Arena arena = Arena.ofConfined()) {
            Tensor packed = nat.repack(w, arena);
            Activations given = nat.prepare(type, x, tokens, cols);
            assertNotNull(given.bsums, "the quantizer records Q8_0 block sums");
            Activations counted = nat.prepare(type, x, tokens, cols);
            counted.bsums = null;
            float[] a = new float[rows * tokens], b = new float[rows * tokens];
            nat.matmul(packed, given, a, rows, 0, rows);
            nat.matmul(packed, counted, b, rows, 0, rows);
            assertTrue(Arrays.equals(a, b), "given and counted sums differ");
            // avx2's Q8_0 keeps llama.cpp's sign trick, with no offset to cancel, so it has no use for sums
            if (level == NativeLevel.AVX2 && type == GgmlType.Q8_0) return;
            given.bsums[3]++;
            nat.matmul(packed, given, a, rows, 0, rows);
            assertFalse(Arrays.equals(a, b), "the kernel ignored the given sums");
        }
    }
}
