package dev.strata.weights;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of a streaming store, shared by all sequences; {@link #snapshot} gives a consistent copy. */
public final class StreamingStats {
    final long[] hits, misses;
    final AtomicLong bytesRead = new AtomicLong(), reads = new AtomicLong(), readNanos = new AtomicLong(), waitNanos = new AtomicLong();
    long prefetchIssued, prefetchUsed, prefetchDropped, evictions;
    final java.util.BitSet touched = new java.util.BitSet();

    StreamingStats(int layers) {
        hits = new long[layers];
        misses = new long[layers];
    }

    /**
     * @param readNanos summed over the I/O threads (reads overlap, so this can exceed wall time)
     * @param waitNanos time forward passes were blocked waiting for expert reads
     */
    public record Snapshot(long[] hits, long[] misses, long bytesRead, long reads, long readNanos, long waitNanos,
                           long prefetchIssued, long prefetchUsed, long prefetchDropped, long evictions, int expertsTouched) {

        public Snapshot minus(Snapshot o) {
            long[] h = hits.clone(), m = misses.clone();
            for (int i = 0; i < h.length; i++) {
                h[i] -= o.hits[i];
                m[i] -= o.misses[i];
            }
            return new Snapshot(h, m, bytesRead - o.bytesRead, reads - o.reads, readNanos - o.readNanos, waitNanos - o.waitNanos,
                    prefetchIssued - o.prefetchIssued, prefetchUsed - o.prefetchUsed, prefetchDropped - o.prefetchDropped,
                    evictions - o.evictions, expertsTouched);
        }

        public long totalHits() {
            long n = 0;
            for (long v : hits) n += v;
            return n;
        }

        public long totalMisses() {
            long n = 0;
            for (long v : misses) n += v;
            return n;
        }

        public double hitRate() {
            long h = totalHits(), all = h + totalMisses();
            return all == 0 ? Double.NaN : (double) h / all;
        }

        public double[] hitRatePerLayer() {
            double[] r = new double[hits.length];
            for (int i = 0; i < r.length; i++) r[i] = hits[i] + misses[i] == 0 ? Double.NaN : (double) hits[i] / (hits[i] + misses[i]);
            return r;
        }
    }
}
