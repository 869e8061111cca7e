package dev.strata.sample.grammar;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * One recogniser state: the set of pushdown stacks (each topped by a character element) that are still
 * alive, and whether the input so far is already a complete sentence. States are interned by their
 * {@link GrammarRecognizer}, so transitions and token masks computed once are reused at every later visit.
 */
final class GrammarState {
    /** A pushdown stack as a persistent linked list; the top is a grammar position. */
    static final class Frame {
        final int pos;
        final Frame next;
        private final int hash;

        Frame(int pos, Frame next) {
            this.pos = pos;
            this.next = next;
            this.hash = 31 * (next == null ? 0 : next.hash) + pos;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) return true;
            if (!(o instanceof Frame f) || f.hash != hash) return false;
            Frame a = this, b = f;
            while (a != null && b != null) {
                if (a == b) return true;
                if (a.pos != b.pos) return false;
                a = a.next;
                b = b.next;
            }
            return a == b;
        }

        @Override
        public int hashCode() { return hash; }
    }

    /** The key that interns a state: its stacks as a set, plus the accepting flag. */
    record Key(java.util.Set<Frame> stacks, boolean accepting) {}

    final Frame[] stacks;
    final boolean accepting;
    private final GrammarState[] asciiNext = new GrammarState[128];
    private final Map<Integer, GrammarState> otherNext = new HashMap<>();
    private final Map<Long, GrammarState> bySubset = new HashMap<>();
    /** The token mask when this state ends a token on a character boundary; null until computed. */
    BitSet mask;

    GrammarState(Frame[] stacks, boolean accepting) {
        this.stacks = stacks;
        this.accepting = accepting;
    }

    boolean dead() {
        return stacks.length == 0 && !accepting;
    }

    GrammarState cachedNext(int codePoint) {
        return codePoint < 128 ? asciiNext[codePoint] : otherNext.get(codePoint);
    }

    void cacheNext(int codePoint, GrammarState next) {
        if (codePoint < 128) asciiNext[codePoint] = next;
        else otherNext.put(codePoint, next);
    }

    /** The next state keyed by the bit set of stacks (at most 64) that accepted the character. */
    GrammarState cachedBySubset(long signature) {
        return bySubset.get(signature);
    }

    void cacheBySubset(long signature, GrammarState next) {
        bySubset.put(signature, next);
    }

    @Override
    public String toString() {
        return "GrammarState[" + stacks.length + " stacks" + (accepting ? ", accepting" : "") + ", tops "
                + Arrays.toString(Arrays.stream(stacks).mapToInt(f -> f.pos).toArray()) + "]";
    }
}
