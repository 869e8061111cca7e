package dev.strata.train.curriculum;

import java.nio.charset.StandardCharsets;

/**
 * Train / validation / held-out test. A problem's split is a pure function of its canonical
 * prompt text, so no problem can ever appear in two splits, whatever seed generated it.
 */
public enum Split {
    TRAIN, VAL, TEST;

    private static final int BUCKETS = 100;
    private static final int TRAIN_BUCKETS = 90;
    private static final int VAL_BUCKETS = 5;

    public static Split of(String canonicalText) {
        int bucket = (int) Long.remainderUnsigned(hash(canonicalText), BUCKETS);
        if (bucket < TRAIN_BUCKETS) return TRAIN;
        return bucket < TRAIN_BUCKETS + VAL_BUCKETS ? VAL : TEST;
    }

    /** FNV-1a over UTF-8 with a murmur finalizer: stable across JVMs, unlike String.hashCode's spread. */
    static long hash(String text) {
        long h = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
