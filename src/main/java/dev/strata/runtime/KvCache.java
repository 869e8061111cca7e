package dev.strata.runtime;

import dev.strata.StrataException;
import dev.strata.tensor.quant.Half;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.Arrays;

/**
 * Keys and values for every KV slot of one sequence, stored as F16 (2 bytes per element) as
 * llama.cpp's default cache holds them. Memory comes in pages of {@link #PAGE} positions per slot,
 * allocated when the sequence first reaches them, so a short chat on a long-context model does not
 * pay for the whole window and a longer context never copies what is already cached.
 * Position p of a slot lives in page p / PAGE at byte {@link #byteOffset}(p).
 */
public final class KvCache {
    /** Positions per page: 256 x kvDim x 2 bytes, e.g. 256 KiB per slot for kvDim 512. */
    public static final int PAGE = 256;
    private static final Cleaner CLEANER = Cleaner.create();

    private final int slots;
    private final int kvDim;
    private final int contextLength;
    private final Pages pages;
    private final Cleaner.Cleanable cleanable;
    private boolean released;

    /** Pages from an arena of the cache's own, freed when the cache is collected. */
    public KvCache(int slots, int kvDim, int contextLength) {
        this(slots, kvDim, contextLength, null);
    }

    /** Pages from {@code pool} (null: an arena of the cache's own), handed back on {@link #release} or collection. */
    public KvCache(int slots, int kvDim, int contextLength, KvPagePool pool) {
        if (pool != null && pool.pageBytes() != 2L * PAGE * kvDim) {
            throw new IllegalArgumentException("the pool's pages hold " + pool.pageBytes() + " bytes, this cache's " + 2L * PAGE * kvDim);
        }
        this.slots = slots;
        this.kvDim = kvDim;
        this.contextLength = contextLength;
        this.pages = new Pages(slots, pool);
        this.cleanable = pool == null ? null : CLEANER.register(this, pages::giveBack);
    }

    /**
     * Keys and values per slot and page, apart from the cache so that handing them back on collection does not
     * keep the cache reachable.
     */
    private static final class Pages {
        final KvPagePool pool;
        final Arena arena;
        final MemorySegment[][] keys, values;
        int count;

        Pages(int slots, KvPagePool pool) {
            this.pool = pool;
            this.arena = pool == null ? Arena.ofAuto() : null;
            this.keys = new MemorySegment[slots][0];
            this.values = new MemorySegment[slots][0];
        }

        MemorySegment take(long bytes) {
            return pool != null ? pool.take() : arena.allocate(bytes, 64);
        }

        synchronized void giveBack() {
            for (int s = 0; s < keys.length; s++) {
                for (int p = 0; p < count; p++) {
                    pool.give(keys[s][p]);
                    pool.give(values[s][p]);
                }
                keys[s] = new MemorySegment[0];
                values[s] = new MemorySegment[0];
            }
            count = 0;
        }
    }

    /** Makes room for {@code positions} positions in every slot, adding pages (never copying). */
    public void ensureCapacity(int positions) {
        if (positions > contextLength) {
            throw new StrataException("context overflow: " + positions + " tokens exceed the context size of " + contextLength + " (raise it with -c)");
        }
        if (released) throw new IllegalStateException("this cache's pages were handed back");
        int needed = (positions + PAGE - 1) / PAGE;
        if (needed <= pages.count) return;
        long pageBytes = 2L * PAGE * kvDim;
        for (int s = 0; s < slots; s++) {
            pages.keys[s] = Arrays.copyOf(pages.keys[s], needed);
            pages.values[s] = Arrays.copyOf(pages.values[s], needed);
            for (int p = pages.count; p < needed; p++) {
                pages.keys[s][p] = pages.take(pageBytes);
                pages.values[s][p] = pages.take(pageBytes);
            }
        }
        pages.count = needed;
    }

    /**
     * Hands the pages back to the pool now, for the next sequence; the cache is empty afterwards (its sequence
     * must start again at position 0). Without a pool, nothing to do: the pages go with the cache.
     */
    public void release() {
        released = true;
        if (cleanable != null) cleanable.clean();
    }

    /** Writes one position's keys and values (kvDim floats each), rounded to F16. */
    void store(int slot, int pos, float[] k, int kOff, float[] v, int vOff) {
        MemorySegment kp = pages.keys[slot][pos / PAGE], vp = pages.values[slot][pos / PAGE];
        long off = byteOffset(pos);
        for (int i = 0; i < kvDim; i++) {
            Half.putF16(kp, off + 2L * i, k[kOff + i]);
            Half.putF16(vp, off + 2L * i, v[vOff + i]);
        }
    }

    /** The page holding position pos's keys in a slot. */
    MemorySegment keyPage(int slot, int pos) {
        return pages.keys[slot][pos / PAGE];
    }

    MemorySegment valuePage(int slot, int pos) {
        return pages.values[slot][pos / PAGE];
    }

    /** Byte offset of position pos inside its page. */
    long byteOffset(int pos) {
        return 2L * (pos % PAGE) * kvDim;
    }

    /** Key element i of position pos in a slot (for tests and tools). */
    public float key(int slot, int pos, int i) {
        return Half.getF16(keyPage(slot, pos), byteOffset(pos) + 2L * i);
    }

    public float value(int slot, int pos, int i) {
        return Half.getF16(valuePage(slot, pos), byteOffset(pos) + 2L * i);
    }

    public int kvDim() {
        return kvDim;
    }

    public int contextLength() {
        return contextLength;
    }

    public int slots() {
        return slots;
    }

    /** Positions currently allocated per slot (whole pages, at most the context length). */
    public int capacity() {
        return Math.min(contextLength, pages.count * PAGE);
    }

    /** Bytes the key and value pages of every slot occupy now. */
    public long allocatedBytes() {
        return 2L * 2 * PAGE * kvDim * slots * pages.count;
    }

    /** Bytes one position takes as stored, keys and values of every slot (F16). */
    public long storedBytesPerPosition() {
        return 2L * 2 * kvDim * slots;
    }

    /** Bytes per position in llama.cpp's F16 layout (for accounting); equal to what is stored. */
    public long bytesPerPosition() {
        return storedBytesPerPosition();
    }
}
