package dev.strata.weights;

import dev.strata.StrataException;
import java.util.Locale;

/**
 * Chooses which unpinned cached expert to evict: the one with the lowest priority. Called under
 * the cache's lock. Keys are {@code layer * expertCount + expert}.
 */
public interface CachePolicy {

    enum Kind {
        LRU, LFU;

        static Kind parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new StrataException("unknown cache policy '" + s + "' (use lru or lfu)");
            }
        }

        CachePolicy create(int keys, int slots) {
            return this == LRU ? new Lru() : new Lfu(keys, slots);
        }
    }

    /** The expert was used by a forward pass at logical time {@code tick}. */
    void accessed(int key, long tick);

    /** Lower is evicted first. */
    double priority(int key, long lastUse, long now);

    /** Least recently used. */
    final class Lru implements CachePolicy {
        @Override
        public void accessed(int key, long tick) {}

        @Override
        public double priority(int key, long lastUse, long now) {
            return lastUse;
        }
    }

    /**
     * Least frequently used with aging: every expert (cached or not) keeps a use count, halved
     * every few cache-fulls of accesses so the counts follow the recent popularity; recency breaks ties.
     * Popular experts survive a sweep of one-off experts that would flush an LRU cache.
     */
    final class Lfu implements CachePolicy {
        private final float[] counts;
        private final long agingPeriod;
        private long sinceAging;

        Lfu(int keys, int slots) {
            this.counts = new float[keys];
            this.agingPeriod = Math.max(64, 4L * Math.max(slots, keys / 4));
        }

        @Override
        public void accessed(int key, long tick) {
            counts[key] += 1;
            if (++sinceAging >= agingPeriod) {
                sinceAging = 0;
                for (int i = 0; i < counts.length; i++) counts[i] *= 0.5f;
            }
        }

        @Override
        public double priority(int key, long lastUse, long now) {
            return counts[key] + (double) lastUse / (now + 1);
        }
    }
}
