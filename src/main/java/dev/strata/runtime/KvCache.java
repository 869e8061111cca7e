package dev.strata.runtime;

import dev.strata.StrataException;
import dev.strata.tensor.quant.Half;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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

    private final int slots;
    private final int kvDim;
    private final int contextLength;
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment[][] keys;
    private final MemorySegment[][] values;
    private int pages;

    public KvCache(int slots, int kvDim, int contextLength) {
        this.slots = slots;
        this.kvDim = kvDim;
        this.contextLength = contextLength;
        this.keys = new MemorySegment[slots][0];
        this.values = new MemorySegment[slots][0];
    }

    /** Makes room for {@code positions} positions in every slot, adding pages (never copying). */
    public void ensureCapacity(int positions) {
        if (positions > contextLength) {
            throw new StrataException("context overflow: " + positions + " tokens exceed the context size of " + contextLength + " (raise it with -c)");
        }
        int needed = (positions + PAGE - 1) / PAGE;
        if (needed <= pages) return;
        long pageBytes = 2L * PAGE * kvDim;
        for (int s = 0; s < slots; s++) {
            keys[s] = Arrays.copyOf(keys[s], needed);
            values[s] = Arrays.copyOf(values[s], needed);
            for (int p = pages; p < needed; p++) {
                keys[s][p] = arena.allocate(pageBytes, 64);
                values[s][p] = arena.allocate(pageBytes, 64);
            }
        }
        pages = needed;
    }

    /** Writes one position's keys and values (kvDim floats each), rounded to F16. */
    void store(int slot, int pos, float[] k, int kOff, float[] v, int vOff) {
        MemorySegment kp = keys[slot][pos / PAGE], vp = values[slot][pos / PAGE];
        long off = byteOffset(pos);
        for (int i = 0; i < kvDim; i++) {
            Half.putF16(kp, off + 2L * i, k[kOff + i]);
            Half.putF16(vp, off + 2L * i, v[vOff + i]);
        }
    }

    /** The page holding position pos's keys in a slot. */
    MemorySegment keyPage(int slot, int pos) {
        return keys[slot][pos / PAGE];
    }

    MemorySegment valuePage(int slot, int pos) {
        return values[slot][pos / PAGE];
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
        return Math.min(contextLength, pages * PAGE);
    }

    /** Bytes the key and value pages of every slot occupy now. */
    public long allocatedBytes() {
        return 2L * 2 * PAGE * kvDim * slots * pages;
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
