package dev.strata.tokenizer;

import java.util.Arrays;

/**
 * Token text to id, as an open-addressing table over the token array. Lookups can hash a range of a
 * larger string (or two ranges, concatenated) without allocating, which keeps loading the 280k
 * BPE merges of a large vocabulary fast. Hashes equal {@link String#hashCode()} of the looked-up text.
 */
final class TokenIndex {
    private final String[] tokens;
    private final int[] slots;
    private final int shift;
    private final int mask;

    /** Builds the index; returns via {@link #duplicateOf} any id whose text an earlier id already has. */
    TokenIndex(String[] tokens) {
        this.tokens = tokens;
        int capacity = Integer.highestOneBit(Math.max(16, tokens.length * 2 - 1)) << 1;
        this.slots = new int[capacity];
        this.mask = capacity - 1;
        this.shift = 32 - Integer.numberOfTrailingZeros(capacity);
        Arrays.fill(slots, -1);
    }

    /** Adds a token; returns the id of an earlier token with the same text, or -1. */
    int add(int id) {
        String text = tokens[id];
        int i = slot(text.hashCode());
        for (; slots[i] >= 0; i = (i + 1) & mask) {
            if (tokens[slots[i]].equals(text)) return slots[i];
        }
        slots[i] = id;
        return -1;
    }

    int find(String text) {
        int len = text.length();
        for (int i = slot(text.hashCode()); slots[i] >= 0; i = (i + 1) & mask) {
            String token = tokens[slots[i]];
            if (token.length() == len && token.equals(text)) return slots[i];
        }
        return -1;
    }

    /** The id of {@code s.substring(from, to)}, or -1. */
    int find(String s, int from, int to) {
        return find(s, from, to, to, to);
    }

    /** The id of {@code s.substring(from1, to1) + s.substring(from2, to2)}, or -1. */
    int find(String s, int from1, int to1, int from2, int to2) {
        int h = 0;
        for (int k = from1; k < to1; k++) h = 31 * h + s.charAt(k);
        for (int k = from2; k < to2; k++) h = 31 * h + s.charAt(k);
        int len1 = to1 - from1, len = len1 + to2 - from2;
        for (int i = slot(h); slots[i] >= 0; i = (i + 1) & mask) {
            String token = tokens[slots[i]];
            if (token.length() == len && token.regionMatches(0, s, from1, len1) && token.regionMatches(len1, s, from2, len - len1)) {
                return slots[i];
            }
        }
        return -1;
    }

    private int slot(int hash) {
        return ((hash * 0x9E3779B9) >>> shift) & mask;
    }
}
