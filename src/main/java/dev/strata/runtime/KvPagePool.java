package dev.strata.runtime;

import dev.strata.tensor.LargePages;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * KV cache pages of one engine, handed from finished sequences to new ones. A server makes a sequence per
 * request; fresh pages cost a page fault every 4 KiB on first touch (28 ms for the 8 MiB a Llama-3.2-1B
 * sequence's first page takes in every slot, measured on a 2-vCPU VM where faults trap to the hypervisor),
 * paid on the decode thread while the other threads wait. Recycled pages are already mapped, and new ones come
 * from 2 MiB huge-page slabs ({@link LargePages}) where the system has them. A page's old contents are never
 * read: attention reads positions below the sequence's own, all written by it.
 *
 * <p>Pages return when their sequence is released or, failing that, collected; the pool keeps them until the
 * engine closes, so its size is the peak of pages in use at once (bounded by slots times context in a server),
 * as llama.cpp allocates its whole cache up front.
 */
public final class KvPagePool implements AutoCloseable {
    private final long pageBytes;
    private final Arena arena = Arena.ofShared();
    private final LargePages slabs = new LargePages(arena);
    private final ConcurrentLinkedDeque<MemorySegment> free = new ConcurrentLinkedDeque<>();
    private final AtomicLong pages = new AtomicLong();

    public KvPagePool(long pageBytes) {
        if (pageBytes <= 0) throw new IllegalArgumentException("page size must be positive, got " + pageBytes);
        this.pageBytes = pageBytes;
    }

    public long pageBytes() {
        return pageBytes;
    }

    /** A page of {@link #pageBytes()} bytes, 64-byte aligned: a free one if any, else a new one. */
    MemorySegment take() {
        MemorySegment p = free.pollFirst();
        if (p != null) return p;
        pages.incrementAndGet();
        return slabs.allocate(pageBytes, 64);
    }

    /** Hands a page back; last in, first out, so the pages still in cache go out first. */
    void give(MemorySegment page) {
        free.offerFirst(page);
    }

    /** Pages made so far (in use plus free). */
    public long pages() {
        return pages.get();
    }

    /** Pages waiting for a sequence. */
    public int freePages() {
        return free.size();
    }

    /** Unmaps every page; sequences still holding some must not be used after this. */
    @Override
    public void close() {
        free.clear();
        arena.close();
    }
}
