package dev.strata.runtime;

import dev.strata.StrataException;
import java.util.Arrays;

/**
 * The input of one forward pass: a list of (sequence, tokens). Sequences whose execution plans are
 * equal run together, so each weight matrix is read once per step for all of them. Reusable:
 * {@link #clear} keeps the entries and their logits buffers, so a decode loop that refills the same
 * batch every step allocates nothing.
 */
public final class Batch {

    /** One sequence's tokens in the batch and, after the forward pass, its logits. */
    public static final class Entry {
        private Sequence sequence;
        private int[] tokens;
        private int from, count;
        private boolean allLogits;
        private float[] logits = new float[0];
        private int logitRows;

        public Sequence sequence() {
            return sequence;
        }

        /** Tokens this entry feeds. */
        public int count() {
            return count;
        }

        public int token(int i) {
            return tokens[from + i];
        }

        public boolean allLogits() {
            return allLogits;
        }

        /**
         * The logits of the last forward pass: {@link #logitRows()} rows of vocab floats (the last
         * token's, or every token's when asked). The array may be longer; it is overwritten when
         * this entry is used again.
         */
        public float[] logits() {
            return logits;
        }

        public int logitRows() {
            return logitRows;
        }

        float[] logitBuffer(int rows, int vocab) {
            if (logits.length < rows * vocab) logits = new float[rows * vocab];
            logitRows = rows;
            return logits;
        }
    }

    private Entry[] entries = new Entry[0];
    private int size;

    /** Empties the batch, keeping entries and buffers for reuse. */
    public Batch clear() {
        for (int i = 0; i < size; i++) {
            entries[i].sequence = null;
            entries[i].tokens = null;
        }
        size = 0;
        return this;
    }

    /** Adds all of {@code tokens} for a sequence. */
    public Entry add(Sequence seq, int[] tokens, boolean allLogits) {
        return add(seq, tokens, 0, tokens.length, allLogits);
    }

    /** Adds tokens[from, from+count) for a sequence; the array is read during the forward pass, not copied. */
    public Entry add(Sequence seq, int[] tokens, int from, int count, boolean allLogits) {
        if (from < 0 || count < 0 || from + count > tokens.length) {
            throw new StrataException("tokens [" + from + ", " + (from + count) + ") are outside an array of " + tokens.length);
        }
        if (size == entries.length) entries = Arrays.copyOf(entries, Math.max(4, 2 * size));
        if (entries[size] == null) entries[size] = new Entry();
        Entry e = entries[size++];
        e.sequence = seq;
        e.tokens = tokens;
        e.from = from;
        e.count = count;
        e.allLogits = allLogits;
        e.logitRows = 0;
        return e;
    }

    public int size() {
        return size;
    }

    public Entry get(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException(i);
        return entries[i];
    }

    /** Total tokens over all entries. */
    public int tokens() {
        int n = 0;
        for (int i = 0; i < size; i++) n += entries[i].count;
        return n;
    }
}
