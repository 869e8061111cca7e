package dev.strata.sample.grammar;

import dev.strata.sample.grammar.GrammarState.Frame;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * llama.cpp's stack-based recogniser over code points, with states interned so that each (state, code
 * point) transition is computed once. UTF-8 bytes are fed through {@link Cursor}s, which carry an
 * unfinished multi-byte sequence and reject it as soon as no stack could accept its completion.
 */
public final class GrammarRecognizer {
    /** Interned states beyond this are not cached; a grammar that needs more still works, only slower. */
    private static final int MAX_INTERNED = 200_000;

    private final Grammar grammar;
    private final Map<GrammarState.Key, GrammarState> interned = new HashMap<>();
    private final GrammarState dead = new GrammarState(new Frame[0], false);
    private final GrammarState start;

    public GrammarRecognizer(Grammar grammar) {
        this.grammar = grammar;
        Set<Frame> stacks = new LinkedHashSet<>();
        boolean[] accepting = {false};
        for (int alt : grammar.alternatives(grammar.root)) {
            if (grammar.isAltEnd(alt)) accepting[0] = true;
            else expand(new Frame(alt, null), stacks, accepting);
        }
        this.start = intern(stacks, accepting[0]);
    }

    public Grammar grammar() { return grammar; }

    /** A cursor at the start of the input. */
    public Cursor start() {
        return new Cursor(start, 0, 0);
    }

    /** A position in the input: a state plus an unfinished UTF-8 sequence (value so far, bytes still due). */
    public record Cursor(GrammarState state, int partialValue, int remaining) {
        public boolean dead() { return state.dead(); }

        /** True when the input so far is a complete sentence of the grammar. */
        public boolean canEnd() { return remaining == 0 && state.accepting; }

        /** True when nothing but the end can follow. */
        public boolean mustEnd() { return remaining == 0 && state.stacks.length == 0 && state.accepting; }
    }

    /** Feeds one byte; the result is {@link Cursor#dead()} when the grammar cannot continue with it. */
    public Cursor accept(Cursor at, int b) {
        b &= 0xFF;
        if (at.remaining == 0) {
            if (b < 0x80) return new Cursor(advance(at.state, b), 0, 0);
            int need = b >= 0xC0 && b < 0xE0 ? 1 : b >= 0xE0 && b < 0xF0 ? 2 : b >= 0xF0 && b < 0xF8 ? 3 : -1;
            if (need < 0) return deadCursor();
            int value = b & (need == 1 ? 0x1F : need == 2 ? 0x0F : 0x07);
            return partial(at.state, value, need);
        }
        if ((b & 0xC0) != 0x80) return deadCursor();
        int value = (at.partialValue << 6) | (b & 0x3F);
        int remaining = at.remaining - 1;
        if (remaining == 0) return new Cursor(advance(at.state, value), 0, 0);
        return partial(at.state, value, remaining);
    }

    public Cursor accept(Cursor at, byte[] bytes) {
        for (byte b : bytes) {
            at = accept(at, b);
            if (at.dead()) return at;
        }
        return at;
    }

    private Cursor partial(GrammarState state, int value, int remaining) {
        for (Frame f : state.stacks) {
            if (grammar.matchesPartial(f.pos, value, remaining)) return new Cursor(state, value, remaining);
        }
        return deadCursor();
    }

    private Cursor deadCursor() {
        return new Cursor(dead, 0, 0);
    }

    /**
     * The state after one code point. The result depends only on which stacks accept the code point, so it
     * is cached under that subset too: the thousands of distinct characters a string accepts share one entry.
     */
    GrammarState advance(GrammarState state, int codePoint) {
        GrammarState cached = state.cachedNext(codePoint);
        if (cached != null) return cached;
        Frame[] stacks = state.stacks;
        long signature = 0;
        if (stacks.length <= 64) {
            for (int i = 0; i < stacks.length; i++) if (grammar.matches(stacks[i].pos, codePoint)) signature |= 1L << i;
            GrammarState bySubset = state.cachedBySubset(signature);
            if (bySubset != null) {
                state.cacheNext(codePoint, bySubset);
                return bySubset;
            }
        }
        Set<Frame> next = new LinkedHashSet<>();
        boolean[] accepting = {false};
        for (Frame f : stacks) {
            if (!grammar.matches(f.pos, codePoint)) continue;
            int after = grammar.afterChar(f.pos);
            expand(grammar.isAltEnd(after) ? f.next : new Frame(after, f.next), next, accepting);
        }
        GrammarState result = next.isEmpty() && !accepting[0] ? dead : intern(next, accepting[0]);
        if (interned.size() < MAX_INTERNED) {
            state.cacheNext(codePoint, result);
            if (stacks.length <= 64) state.cacheBySubset(signature, result);
        }
        return result;
    }

    /** llama.cpp's advance_stack: replaces rule references on top by each of their alternatives. */
    private void expand(Frame stack, Set<Frame> out, boolean[] accepting) {
        if (stack == null) {
            accepting[0] = true;
            return;
        }
        int pos = stack.pos;
        if (grammar.types[pos] != Grammar.RULE_REF) {
            out.add(stack);
            return;
        }
        Frame continuation = grammar.isAltEnd(pos + 1) ? stack.next : new Frame(pos + 1, stack.next);
        for (int alt : grammar.alternatives(grammar.values[pos])) {
            expand(grammar.isAltEnd(alt) ? continuation : new Frame(alt, continuation), out, accepting);
        }
    }

    private GrammarState intern(Set<Frame> stacks, boolean accepting) {
        GrammarState.Key key = new GrammarState.Key(stacks, accepting);
        GrammarState existing = interned.get(key);
        if (existing != null) return existing;
        GrammarState state = new GrammarState(stacks.toArray(new Frame[0]), accepting);
        if (interned.size() < MAX_INTERNED) interned.put(key, state);
        return state;
    }
}
