package dev.strata.tensor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.tensor.quant.Half;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * libstrata's attention loops (scores q.k_j and the weighted sum of v_j over the F16 KV cache) at
 * every level against the scalar reference's loops of dotF16 and axpyF16, with head sizes that are
 * and are not a multiple of the vector width, 1 to 256 positions, a head that is not the first of
 * its position; a corrupted key or value must be caught.
 */
class NativeAttentionTest {
    private static final KernelProvider scalar = Kernels.select("scalar");

    @BeforeEach
    void requireLibrary() {
        assumeTrue(NativeLibrary.isAvailable(), "libstrata not available: " + NativeLibrary.unavailableReason());
    }

    @ParameterizedTest
    @EnumSource(NativeLevel.class)
    void scoresAndValueSumsAgreeWithScalar(NativeLevel level) {
        NativeVsScalarTest.assumeCpuRuns(level);
        KernelProvider nat = new NativeKernels(level);
        Random rnd = new Random(11);
        List<String> failures = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            for (int hd : new int[] {64, 100, 128}) {
                int heads = 3;
                long stride = 2L * heads * hd, headOff = 2L * hd; // the second head of each position
                for (int count : new int[] {1, 7, 256}) {
                    MemorySegment kv = f16Page(arena, rnd, count * heads * hd);
                    float[] q = f16Values(rnd, hd + 5), w = f16Values(rnd, count + 3);
                    failures.addAll(compare(nat, kv, kv, headOff, stride, count, hd, q, w));
                }
            }
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " mismatches, first: " + failures.getFirst());
    }

    /** A key or value of one position changed must show in the comparison against scalar over the true cache. */
    @ParameterizedTest
    @EnumSource(NativeLevel.class)
    void comparisonCatchesACorruptedPosition(NativeLevel level) {
        NativeVsScalarTest.assumeCpuRuns(level);
        KernelProvider nat = new NativeKernels(level);
        Random rnd = new Random(12);
        int hd = 64, count = 37;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment kv = f16Page(arena, rnd, count * hd);
            MemorySegment broken = arena.allocate(kv.byteSize());
            broken.copyFrom(kv);
            Half.putF16(broken, 2L * (30 * hd + 17), Half.getF16(kv, 2L * (30 * hd + 17)) + 1f);
            float[] q = f16Values(rnd, hd), w = f16Values(rnd, count + 3);
            assertTrue(compare(nat, kv, kv, 0, 2L * hd, count, hd, q, w).isEmpty());
            assertFalse(compare(nat, kv, broken, 0, 2L * hd, count, hd, q, w).isEmpty(), "corrupted position not caught");
        }
    }

    /** Native over {@code tested} against scalar over {@code kv}: 1e-5 of the sum of |terms|, the summation-order error. */
    private static List<String> compare(KernelProvider nat, MemorySegment kv, MemorySegment tested, long off, long stride, int count, int hd,
                                        float[] q, float[] w) {
        List<String> failures = new ArrayList<>();
        float[] want = new float[count + 1], got = new float[count + 1];
        scalar.attentionScores(q, 5 % (q.length - hd + 1), kv, off, stride, count, hd, 0.125f, want, 1);
        nat.attentionScores(q, 5 % (q.length - hd + 1), tested, off, stride, count, hd, 0.125f, got, 1);
        for (int j = 0; j < count; j++) {
            double abs = 0;
            for (int i = 0; i < hd; i++) abs += Math.abs(q[5 % (q.length - hd + 1) + i] * Half.getF16(kv, off + j * stride + 2L * i)) * 0.125;
            if (!(Math.abs(want[1 + j] - got[1 + j]) <= 1e-5 * abs + 1e-30)) failures.add("score " + j + " hd=" + hd + ": " + got[1 + j] + " vs " + want[1 + j]);
        }
        float[] outWant = new float[hd + 2], outGot = new float[hd + 2];
        outWant[2] = outGot[2] = 0.5f;
        scalar.attentionValues(w, 3, kv, off, stride, count, hd, outWant, 2);
        nat.attentionValues(w, 3, tested, off, stride, count, hd, outGot, 2);
        for (int i = 0; i < hd; i++) {
            double abs = i == 0 ? 0.5 : 0;
            for (int j = 0; j < count; j++) abs += Math.abs(w[3 + j] * Half.getF16(kv, off + j * stride + 2L * i));
            if (!(Math.abs(outWant[2 + i] - outGot[2 + i]) <= 1e-5 * abs + 1e-30)) failures.add("value " + i + " hd=" + hd + ": " + outGot[2 + i] + " vs " + outWant[2 + i]);
        }
        if (outGot[0] != 0 || outGot[1] != 0) failures.add("wrote before the output offset");
        return failures;
    }

    private static MemorySegment f16Page(Arena arena, Random rnd, int n) {
        MemorySegment s = arena.allocate(2L * n);
        for (int i = 0; i < n; i++) Half.putF16(s, 2L * i, (float) rnd.nextGaussian());
        return s;
    }

    private static float[] f16Values(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = Half.getF16(roundTrip((float) rnd.nextGaussian()), 0);
        return x;
    }

    private static MemorySegment roundTrip(float v) {
        MemorySegment s = MemorySegment.ofArray(new byte[2]);
        Half.putF16(s, 0, v);
        return s;
    }
}
