package dev.strata.sample.grammar;

import dev.strata.StrataException;
import dev.strata.sample.LogitProcessor;
import java.util.BitSet;

/**
 * Constrains decoding to a grammar: before each draw, every token whose bytes cannot continue the text
 * gets negative infinity, and end-of-generation is allowed only where the grammar can end. The mask comes
 * from one walk of the token trie from the current recogniser state, pruning every subtree whose prefix
 * the grammar rejects; masks are cached per interned state, so a state seen again costs one lookup.
 */
public final class GrammarConstraint implements LogitProcessor {
    private final GrammarVocabulary vocab;
    private final GrammarRecognizer recognizer;
    private GrammarRecognizer.Cursor cursor;
    private GrammarRecognizer.Cursor[] walk = new GrammarRecognizer.Cursor[16];
    private boolean ended;
    /** Masks kept per state at most: one is vocabulary/8 bytes (19 KB for 151,936 tokens), so this bounds a request's cache to ~40 MB. */
    private static final int MAX_CACHED_MASKS = 2048;
    private int cachedMasks;

    public GrammarConstraint(Grammar grammar, GrammarVocabulary vocab) {
        this.vocab = vocab;
        this.recognizer = new GrammarRecognizer(grammar);
        this.cursor = recognizer.start();
    }

    /** The tokens allowed next (end-of-generation ids included when the grammar can end here). */
    public BitSet allowedTokens() {
        if (ended) return new BitSet();
        if (cursor.remaining() == 0 && cursor.state().mask != null) return cursor.state().mask;
        BitSet mask = walkTrie(cursor);
        if (cursor.canEnd()) for (int id : vocab.endOfGeneration) mask.set(id);
        if (cursor.remaining() == 0 && cachedMasks < MAX_CACHED_MASKS) {
            cursor.state().mask = mask;
            cachedMasks++;
        }
        return mask;
    }

    private BitSet walkTrie(GrammarRecognizer.Cursor from) {
        TokenTrie trie = vocab.trie;
        BitSet mask = new BitSet(vocab.size());
        walk[0] = from;
        int n = trie.nodeCount();
        int i = 1;
        while (i < n) {
            int d = trie.depth[i];
            GrammarRecognizer.Cursor next = recognizer.accept(walk[d - 1], trie.label[i]);
            if (next.dead()) {
                i = trie.subtreeEnd[i];
                continue;
            }
            if (d >= walk.length) walk = java.util.Arrays.copyOf(walk, walk.length * 2);
            walk[d] = next;
            for (int k = trie.tokenStart[i]; k < trie.tokenStart[i + 1]; k++) mask.set(trie.sortedTokens[k]);
            i++;
        }
        return mask;
    }

    /** True when the text so far is a complete sentence of the grammar. */
    public boolean canEnd() {
        return cursor.canEnd();
    }

    /** True once only the end can follow, or the end was generated. */
    public boolean isComplete() {
        return ended || cursor.mustEnd();
    }

    @Override
    public void apply(float[] logits, int vocabSize) {
        BitSet allowed = allowedTokens();
        if (allowed.isEmpty()) throw new StrataException("grammar: no token can continue the output");
        int limit = Math.min(vocabSize, vocab.size());
        for (int id = allowed.nextClearBit(0); id < limit; id = allowed.nextClearBit(id + 1)) logits[id] = Float.NEGATIVE_INFINITY;
        for (int id = limit; id < vocabSize; id++) logits[id] = Float.NEGATIVE_INFINITY;
    }

    @Override
    public void accept(int token) {
        if (ended) throw new StrataException("grammar: token " + token + " after the end of the grammar");
        if (vocab.isEndOfGeneration(token)) {
            if (!cursor.canEnd()) throw new StrataException("grammar: end of generation before the grammar is complete");
            ended = true;
            return;
        }
        GrammarRecognizer.Cursor next = recognizer.accept(cursor, vocab.tokenBytes[token]);
        if (next.dead()) throw new StrataException("grammar: token " + token + " does not continue the grammar");
        cursor = next;
    }
}
