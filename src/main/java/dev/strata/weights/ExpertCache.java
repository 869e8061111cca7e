package dev.strata.weights;

import dev.strata.StrataException;
import dev.strata.model.ExpertWeights;
import dev.strata.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * A bounded cache of experts in one off-heap block cut into equal slots. Reads run on an I/O pool
 * with positional reads. An entry is pinned while a forward pass uses it and is evicted only when
 * unpinned and fully loaded, so a slot is never overwritten under a running kernel; a caller that
 * finds every slot pinned or loading waits (each caller pins at most one expert at a time, so some
 * slot always frees up).
 */
final class ExpertCache implements AutoCloseable {
    private static final class Entry {
        final int key, slot;
        int pins;
        boolean ready, prefetched;
        long lastUse;
        Tensor gate, up, down;
        final CompletableFuture<Void> loaded = new CompletableFuture<>();

        Entry(int key, int slot) {
            this.key = key;
            this.slot = slot;
        }
    }

    private final ExpertLayout layout;
    private final ExpertFile file;
    private final ExecutorService io;
    private final CachePolicy policy;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory;
    private final long slotBytes;
    private final int slots;
    private final Map<Integer, Entry> entries = new HashMap<>();
    private final ArrayDeque<Integer> freeSlots = new ArrayDeque<>();
    private final StreamingStats stats;
    private long tick;
    /**
     * A prefetched expert not used yet is evicted only after every other candidate, for this many
     * accesses (about a token's worth): otherwise a frequency policy, which knows no use of it,
     * would evict it first and waste the read.
     */
    private final long prefetchWindow;
    private final long fileSize;
    private static final double PROTECTED = 1e18;

    ExpertCache(ExpertLayout layout, ExpertFile file, ExecutorService io, CachePolicy.Kind policy, long capacityBytes, StreamingStats stats) {
        this.layout = layout;
        this.file = file;
        this.io = io;
        this.slotBytes = layout.slotBytes();
        this.slots = (int) Math.min(capacityBytes / slotBytes, (long) layout.layers() * layout.experts());
        if (slots < 1) throw new StrataException("memory budget leaves " + capacityBytes + " bytes for the expert cache; one expert needs " + slotBytes);
        this.policy = policy.create(layout.layers() * layout.experts(), slots);
        this.memory = arena.allocate(slots * slotBytes, ExpertLayout.DIRECT_ALIGNMENT);
        for (int i = 0; i < slots; i++) freeSlots.add(i);
        this.prefetchWindow = Math.max(16, slots / 4);
        try {
            this.fileSize = file.size();
        } catch (IOException e) {
            throw new StrataException("cannot read the model file size: " + e.getMessage());
        }
        this.stats = stats;
    }

    int slots() { return slots; }
    long capacityBytes() { return slots * slotBytes; }

    /** Pins the expert, reading it first if absent; close the result to unpin. */
    ExpertWeights acquire(int layer, int expert) {
        int key = layer * layout.experts() + expert;
        Entry en;
        boolean hit, resident;
        synchronized (this) {
            en = entries.get(key);
            hit = en != null;
            if (!hit) {
                en = insert(key, true);
                startLoad(en, layer, expert);
            } else if (en.prefetched) {
                en.prefetched = false;
                stats.prefetchUsed++;
            }
            en.pins++;
            en.lastUse = ++tick;
            policy.accessed(key, tick);
            stats.touched.set(key);
            resident = hit && en.ready;
            if (resident) stats.hits[layer]++;
            else stats.misses[layer]++;
        }
        long t0 = System.nanoTime();
        try {
            en.loaded.join();
        } catch (CompletionException e) {
            release(en);
            throw new StrataException("cannot read expert " + expert + " of layer " + layer + ": " + e.getCause().getMessage());
        }
        long waited = System.nanoTime() - t0;
        stats.waitNanos.addAndGet(waited);
        Entry pinned = en;
        return new ExpertWeights(en.gate, en.up, en.down, resident, hit ? 0 : layout.plan(layer, expert).slotBytes(), waited, () -> release(pinned));
    }

    /** Starts reading the experts not yet cached, evicting only unpinned ones; never waits. */
    synchronized void prefetch(int layer, int[] experts) {
        for (int expert : experts) {
            int key = layer * layout.experts() + expert;
            if (entries.containsKey(key)) continue;
            Entry en = insert(key, false);
            if (en == null) {
                stats.prefetchDropped++;
                continue;
            }
            en.prefetched = true;
            en.lastUse = ++tick;
            stats.prefetchIssued++;
            startLoad(en, layer, expert);
        }
    }

    private synchronized void release(Entry en) {
        en.pins--;
        notifyAll();
    }

    /** A new entry in a free or evicted slot; waits for one when {@code wait}, else null if none. */
    private Entry insert(int key, boolean wait) {
        while (true) {
            Integer slot = freeSlots.poll();
            if (slot == null) {
                Entry victim = null;
                double best = Double.POSITIVE_INFINITY;
                for (Entry c : entries.values()) {
                    if (c.pins > 0 || !c.ready) continue;
                    double p = policy.priority(c.key, c.lastUse, tick);
                    if (c.prefetched && tick - c.lastUse < prefetchWindow) p += PROTECTED; // read ahead but not yet used
                    if (p < best) {
                        best = p;
                        victim = c;
                    }
                }
                if (victim != null) {
                    entries.remove(victim.key);
                    stats.evictions++;
                    slot = victim.slot;
                }
            }
            if (slot != null) {
                Entry en = new Entry(key, slot);
                entries.put(key, en);
                return en;
            }
            if (!wait) return null;
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StrataException("interrupted while waiting for an expert cache slot");
            }
        }
    }

    private void startLoad(Entry en, int layer, int expert) {
        io.execute(() -> {
            try {
                load(en, layer, expert);
                synchronized (this) {
                    en.ready = true;
                    notifyAll();
                }
                en.loaded.complete(null);
            } catch (Throwable t) {
                synchronized (this) {
                    entries.remove(en.key);
                    freeSlots.add(en.slot);
                    notifyAll();
                }
                en.loaded.completeExceptionally(t);
            }
        });
    }

    private void load(Entry en, int layer, int expert) throws IOException {
        ExpertLayout.Plan plan = layout.plan(layer, expert);
        MemorySegment slot = memory.asSlice(en.slot * slotBytes, slotBytes);
        long t0 = System.nanoTime();
        for (ExpertLayout.Read r : plan.reads()) {
            MemorySegment dst = slot.asSlice(r.slotOffset(), r.length());
            long pos = r.filePos();
            while (pos - r.filePos() < r.length()) {
                long n = file.read(dst.asSlice(pos - r.filePos()), pos);
                if (n <= 0) break;
                pos += n;
                if (pos >= fileSize) break; // a direct read widened past the end of the file
            }
            if (pos - r.filePos() < r.length() - ExpertLayout.DIRECT_ALIGNMENT) throw new IOException("short read at " + r.filePos());
            stats.bytesRead.addAndGet(pos - r.filePos());
            stats.reads.incrementAndGet();
        }
        stats.readNanos.addAndGet(System.nanoTime() - t0);
        Tensor[] t = new Tensor[3];
        for (int k = 0; k < 3; k++) {
            Tensor src = layout.part(layer, expert, k);
            t[k] = new Tensor(src.name(), src.type(), src.shape(), slot.asSlice(plan.matrixOffsets()[k], src.data().byteSize()));
        }
        en.gate = t[0];
        en.up = t[1];
        en.down = t[2];
    }

    synchronized StreamingStats.Snapshot snapshot() {
        return new StreamingStats.Snapshot(stats.hits.clone(), stats.misses.clone(), stats.bytesRead.get(), stats.reads.get(),
                stats.readNanos.get(), stats.waitNanos.get(), stats.prefetchIssued, stats.prefetchUsed, stats.prefetchDropped,
                stats.evictions, stats.touched.cardinality());
    }

    /** Pinned experts right now (tests check that none leak). */
    synchronized int pinned() {
        int n = 0;
        for (Entry e : entries.values()) n += e.pins;
        return n;
    }

    @Override
    public void close() {
        arena.close();
    }
}
