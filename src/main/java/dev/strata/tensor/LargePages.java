package dev.strata.tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Off-heap memory for the repacked weights in 2 MiB transparent huge pages (Linux, libc through FFM).
 * Decode streams every weight once per token; with 4 KiB pages that is a TLB miss and a page walk
 * every 4 KiB, and the hardware prefetchers stop at each page boundary. Slabs of 64 MiB are mapped
 * 2 MiB-aligned and advised {@code MADV_HUGEPAGE} before they are first touched, so the kernel backs
 * them with huge pages where THP is "always" or "madvise"; tensors are carved from them, so small
 * ones share pages. Anywhere this is unavailable (THP "never", not Linux, mmap refused) the arena's
 * own allocation is used. {@code STRATA_HUGEPAGES=0} (or {@code -Dstrata.hugepages=0}) turns it off.
 */
public final class LargePages implements SegmentAllocator {
    public static final String ENV = "STRATA_HUGEPAGES";
    static final long HUGE = 2L << 20;
    static final long SLAB = 64L << 20;
    private static final int PROT_READ_WRITE = 0x3, MAP_PRIVATE_ANONYMOUS = 0x22, MADV_HUGEPAGE = 14;
    private static final MethodHandle MUNMAP = Libc.find("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle MADVISE = Libc.find("madvise", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    /** Null unless all three are there. */
    private static final MethodHandle MMAP = MUNMAP == null || MADVISE == null ? null
            : Libc.find("mmap", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));

    private final Arena arena;
    private final boolean huge;
    private MemorySegment slab = MemorySegment.NULL;
    private long used;
    private long mapped;

    /** Carves from huge-page slabs that {@code arena} unmaps when it closes. */
    public LargePages(Arena arena) {
        this.arena = arena;
        this.huge = enabled() && MMAP != null && !"never".equals(transparentHugePages());
    }

    /** False when $STRATA_HUGEPAGES or -Dstrata.hugepages is 0, off or false. */
    public static boolean enabled() {
        return Libc.switchedOn("strata.hugepages", ENV);
    }

    /** The system's THP mode ("always", "madvise", "never"), or "unknown". */
    public static String transparentHugePages() {
        try {
            String s = Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
            int a = s.indexOf('['), b = s.indexOf(']');
            return a >= 0 && b > a ? s.substring(a + 1, b) : "unknown";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** "2 MiB pages via THP madvise", or why the pages are 4 KiB. */
    public static String describe() {
        if (!enabled()) return "4 KiB pages: " + ENV + "=0";
        if (MMAP == null) return "4 KiB pages: no mmap";
        String thp = transparentHugePages();
        return "never".equals(thp) ? "4 KiB pages: THP never" : "2 MiB pages via THP " + thp;
    }

    /** True when allocations come from huge-page slabs. */
    public boolean huge() {
        return huge;
    }

    /** Bytes mapped in slabs so far. */
    public synchronized long mappedBytes() {
        return mapped;
    }

    @Override
    public synchronized MemorySegment allocate(long bytes, long alignment) {
        if (!huge || bytes <= 0) return arena.allocate(bytes, alignment);
        long at = (used + alignment - 1) / alignment * alignment;
        if (slab.equals(MemorySegment.NULL) || at + bytes > slab.byteSize()) {
            MemorySegment fresh = map(Math.max(SLAB, (bytes + HUGE - 1) / HUGE * HUGE));
            if (fresh == null) return arena.allocate(bytes, alignment);
            slab = fresh;
            at = 0;
        }
        used = at + bytes;
        return slab.asSlice(at, bytes);
    }

    /** A fresh 2 MiB-aligned anonymous mapping advised for huge pages, unmapped with the arena; null if refused. */
    private MemorySegment map(long size) {
        try {
            MemorySegment raw = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, size + HUGE, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L);
            if (raw.address() == -1L || raw.address() == 0L) return null;
            long start = (raw.address() + HUGE - 1) / HUGE * HUGE, head = start - raw.address(), tail = HUGE - head;
            if (head > 0) unmap(raw.address(), head);
            if (tail > 0) unmap(start + size, tail);
            MemorySegment s = MemorySegment.ofAddress(start).reinterpret(size, arena, seg -> unmap(seg.address(), seg.byteSize()));
            // refused advice (a kernel without THP) leaves ordinary pages: still a usable mapping
            int ignored = (int) MADVISE.invokeExact(s, size, MADV_HUGEPAGE);
            mapped += size;
            return s;
        } catch (Throwable e) {
            return null;
        }
    }

    private static void unmap(long address, long size) {
        try {
            int rc = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(address), size);
            if (rc != 0) throw new IllegalStateException("munmap failed");
        } catch (Throwable e) {
            throw new IllegalStateException("munmap of " + size + " bytes failed", e);
        }
    }
}
