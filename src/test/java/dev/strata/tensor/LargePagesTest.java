package dev.strata.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.tensor.quant.GgmlType;
import dev.strata.weights.ResidentMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The huge-page slabs the repacked weights live in: layout, fallback, lifetime, and that the kernel really backs them with 2 MiB pages. */
class LargePagesTest {

    @Test
    void carvesAlignedDisjointZeroedSegmentsFromTwoMegabyteAlignedSlabs() {
        Arena arena = Arena.ofConfined();
        try {
            LargePages pages = new LargePages(arena);
            assumeTrue(pages.huge(), "no huge-page slabs here: " + LargePages.describe());
            long[] sizes = {100, 4096, 1 << 20, 3 << 20, LargePages.SLAB + 5, 64, 1};
            long[] aligns = {64, 4096, 64, 64, 64, 256, 1};
            List<MemorySegment> segs = new ArrayList<>();
            for (int i = 0; i < sizes.length; i++) {
                MemorySegment s = pages.allocate(sizes[i], aligns[i]);
                assertEquals(sizes[i], s.byteSize());
                assertEquals(0, s.address() % aligns[i], "alignment " + aligns[i]);
                for (long o = 0; o < s.byteSize(); o += 4093) assertEquals(0, s.get(ValueLayout.JAVA_BYTE, o), "not zeroed");
                s.fill((byte) (i + 1));
                segs.add(s);
            }
            assertEquals(0, segs.getFirst().address() % LargePages.HUGE, "a slab starts on a 2 MiB boundary");
            for (int i = 0; i < segs.size(); i++) {
                MemorySegment a = segs.get(i);
                assertEquals((byte) (i + 1), a.get(ValueLayout.JAVA_BYTE, 0));
                assertEquals((byte) (i + 1), a.get(ValueLayout.JAVA_BYTE, a.byteSize() - 1), "overwritten by a later segment");
                for (int j = i + 1; j < segs.size(); j++) {
                    MemorySegment b = segs.get(j);
                    assertTrue(a.address() + a.byteSize() <= b.address() || b.address() + b.byteSize() <= a.address(), "overlap " + i + "/" + j);
                }
            }
            // small requests share a slab; the one larger than a slab gets its own, rounded up to 2 MiB, and the last two fit in its tail
            assertEquals(LargePages.SLAB + LargePages.SLAB + LargePages.HUGE, pages.mappedBytes());
            arena.close();
            assertFalse(segs.getFirst().scope().isAlive(), "slabs end with their arena");
        } finally {
            if (arena.scope().isAlive()) arena.close();
        }
    }

    @Test
    void switchedOffItUsesTheArenasOwnMemory() {
        String before = System.getProperty("strata.hugepages");
        System.setProperty("strata.hugepages", "0");
        try (Arena arena = Arena.ofConfined()) {
            LargePages pages = new LargePages(arena);
            assertFalse(pages.huge());
            assertTrue(LargePages.describe().startsWith("4 KiB pages"), LargePages.describe());
            MemorySegment s = pages.allocate(1000, 64);
            assertEquals(1000, s.byteSize());
            assertEquals(0, pages.mappedBytes());
        } finally {
            if (before == null) System.clearProperty("strata.hugepages");
            else System.setProperty("strata.hugepages", before);
        }
    }

    /** The same repacked kernel over a copy in huge pages and one in the arena: the bytes and the results are identical. */
    @Test
    void repackedWeightsInHugePagesComputeTheSameBits() {
        assumeTrue(NativeLibrary.isAvailable(), "libstrata not available: " + NativeLibrary.unavailableReason());
        NativeLevel level = NativeLibrary.level();
        assumeTrue(NativeRepack.supports(GgmlType.Q4_0, level), "no repacked kernel at " + level.label());
        NativeKernels nat = new NativeKernels(level);
        Random rnd = new Random(5);
        int cols = 256, rows = 80, tokens = 3;
        Tensor w = TestTensors.quantized("w", GgmlType.Q4_0, TestTensors.gaussian(rnd, cols * rows, 0.05f), cols, rows);
        float[] x = TestTensors.gaussian(rnd, cols * tokens, 1f);
        try (Arena arena = Arena.ofConfined()) {
            Tensor plain = nat.repack(w, arena);
            Tensor huge = nat.repack(w, new LargePages(arena));
            assertEquals(-1, plain.packed().mismatch(huge.packed()), "repacked bytes differ");
            float[] a = new float[rows * tokens], b = new float[rows * tokens];
            nat.matmul(plain, nat.prepare(plain.type(), x, tokens, cols), a, rows, 0, rows);
            nat.matmul(huge, nat.prepare(huge.type(), x, tokens, cols), b, rows, 0, rows);
            assertArrayEquals(a, b);
        }
    }

    /** Where THP is on (always or madvise), touching a slab makes it resident in 2 MiB pages, as AnonHugePages counts them. */
    @Test
    void theKernelBacksSlabsWithHugePages() {
        String thp = LargePages.transparentHugePages();
        assumeTrue(thp.equals("always") || thp.equals("madvise"), "THP is " + thp);
        long before = ResidentMemory.hugePages();
        assumeTrue(before >= 0, "no /proc/self/smaps_rollup");
        try (Arena arena = Arena.ofConfined()) {
            LargePages pages = new LargePages(arena);
            assumeTrue(pages.huge(), LargePages.describe());
            MemorySegment s = pages.allocate(LargePages.SLAB, 64);
            for (long o = 0; o < s.byteSize(); o += 4096) s.set(ValueLayout.JAVA_BYTE, o, (byte) 1);
            long gained = ResidentMemory.hugePages() - before;
            // the kernel may fall back to small pages when no free 2 MiB frame is at hand; most must be huge
            assertTrue(gained >= LargePages.SLAB / 2, "only " + (gained >> 20) + " MiB of a touched 64 MiB slab in huge pages");
        }
    }
}
