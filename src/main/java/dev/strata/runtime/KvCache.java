package dev.strata.runtime;

import dev.strata.StrataException;
import java.util.Arrays;

/**
 * Keys and values for every KV slot of one sequence, stored as F16-rounded floats as llama.cpp's
 * default F16 cache holds them. Capacity grows on demand up to the context length, so a short
 * chat on a long-context model does not pay for the whole window.
 */
public final class KvCache {
    private final int slots;
    private final int kvDim;
    private final int contextLength;
    private final float[][] keys;
    private final float[][] values;
    private int capacity;

    public KvCache(int slots, int kvDim, int contextLength) {
        this.slots = slots;
        this.kvDim = kvDim;
        this.contextLength = contextLength;
        this.keys = new float[slots][];
        this.values = new float[slots][];
        this.capacity = 0;
        ensureCapacity(Math.min(contextLength, 256));
    }

    public void ensureCapacity(int positions) {
        if (positions > contextLength) {
            throw new StrataException("context overflow: " + positions + " tokens exceed the context size of " + contextLength + " (raise it with -c)");
        }
        if (positions <= capacity) return;
        int newCap = Math.min(contextLength, Math.max(positions, capacity * 2));
        for (int s = 0; s < slots; s++) {
            keys[s] = keys[s] == null ? new float[newCap * kvDim] : Arrays.copyOf(keys[s], newCap * kvDim);
            values[s] = values[s] == null ? new float[newCap * kvDim] : Arrays.copyOf(values[s], newCap * kvDim);
        }
        capacity = newCap;
    }

    public float[] keys(int slot) {
        return keys[slot];
    }

    public float[] values(int slot) {
        return values[slot];
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

    /** Positions currently allocated per slot (grows on demand up to the context length). */
    public int capacity() {
        return capacity;
    }

    /** Bytes the key and value arrays of every slot occupy now, as stored (F32). */
    public long allocatedBytes() {
        long bytes = 0;
        for (int s = 0; s < slots; s++) bytes += 4L * (keys[s].length + values[s].length);
        return bytes;
    }

    /** Bytes one position takes as stored now, keys and values of every slot. */
    public long storedBytesPerPosition() {
        return 4L * 2 * kvDim * slots;
    }

    /** Bytes this cache would take in llama.cpp's F16 layout per position (for accounting). */
    public long bytesPerPosition() {
        return 2L * 2 * kvDim * slots;
    }
}
