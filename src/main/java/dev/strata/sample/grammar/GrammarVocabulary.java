package dev.strata.sample.grammar;

import dev.strata.tokenizer.Tokenizer;
import dev.strata.tokenizer.Vocabulary;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What a grammar needs to know about a vocabulary: each token's bytes (control tokens as their text, as
 * llama.cpp's grammar sampler sees them), the end-of-generation ids, and the token trie. Built once per
 * tokenizer and shared by every constrained request.
 */
public final class GrammarVocabulary {
    private static final Map<Tokenizer, GrammarVocabulary> CACHE = new WeakHashMap<>();

    final byte[][] tokenBytes;
    final int[] endOfGeneration;
    final TokenTrie trie;

    private GrammarVocabulary(Tokenizer tokenizer) {
        Vocabulary vocab = tokenizer.vocab();
        tokenBytes = new byte[vocab.size()][];
        for (int id = 0; id < tokenBytes.length; id++) {
            tokenBytes[id] = vocab.isEndOfGeneration(id) ? new byte[0] : tokenizer.tokenBytes(id);
        }
        endOfGeneration = vocab.endOfGenerationIds();
        trie = new TokenTrie(tokenBytes);
    }

    public static GrammarVocabulary of(Tokenizer tokenizer) {
        synchronized (CACHE) {
            return CACHE.computeIfAbsent(tokenizer, GrammarVocabulary::new);
        }
    }

    public int size() { return tokenBytes.length; }

    public TokenTrie trie() { return trie; }

    public byte[] bytes(int token) { return tokenBytes[token]; }

    public boolean isEndOfGeneration(int token) {
        for (int id : endOfGeneration) if (id == token) return true;
        return false;
    }
}
