package dev.strata.sample.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.SharedData;
import dev.strata.gguf.GgufFile;
import dev.strata.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/**
 * The trie-walk token mask equals a brute-force check of every token's bytes against the recogniser, on the
 * 151936-token qwen2 vocabulary, at JSON prefixes that stop inside keys, strings, numbers and multi-byte
 * characters. Prints the mask cost (cold: first visit of a state; warm: cached) for the README.
 */
class GrammarMaskTest {
    @Test
    void trieMaskEqualsBruteForceOnQwenVocabulary() throws Exception {
        Tokenizer tokenizer;
        try (GgufFile f = GgufFile.open(SharedData.require(SharedData.model("qwen2-tiny-random.gguf")))) {
            tokenizer = Tokenizer.fromGguf(f);
        }
        long t0 = System.nanoTime();
        GrammarVocabulary vocab = GrammarVocabulary.of(tokenizer);
        long buildMicros = (System.nanoTime() - t0) / 1000;
        Grammar json = Grammar.parse(JsonSchemaGrammar.toGbnf(
                "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"n\":{\"type\":\"integer\"},\"tags\":{\"type\":\"array\",\"items\":{\"enum\":[\"é\",\"b\"]}}},\"required\":[\"name\"]}"));
        String[] prefixes = {"", "{", "{\"na", "{\"name\": \"ab", "{\"name\":\"x\",\"n\":-1", "{\"name\":\"x\", \"tags\": [\"", "{\"name\":\"\u00e9\u00e8",
                "{\"name\":\"x\"}"};
        long coldNanos = 0, warmNanos = 0;
        for (String prefix : prefixes) {
            GrammarRecognizer r = new GrammarRecognizer(json);
            GrammarRecognizer.Cursor c = r.accept(r.start(), prefix.getBytes(StandardCharsets.UTF_8));
            assertTrue(!c.dead(), prefix);
            BitSet expected = new BitSet();
            for (int id = 0; id < vocab.size(); id++) {
                if (vocab.isEndOfGeneration(id)) {
                    if (c.canEnd()) expected.set(id);
                } else if (vocab.bytes(id).length > 0 && !r.accept(c, vocab.bytes(id)).dead()) {
                    expected.set(id);
                }
            }
            GrammarConstraint constraint = new GrammarConstraint(json, vocab);
            for (int id : tokenizer.encode(prefix, false, false)) constraint.accept(id);
            long a = System.nanoTime();
            BitSet actual = constraint.allowedTokens();
            long b = System.nanoTime();
            constraint.allowedTokens();
            long d = System.nanoTime();
            coldNanos += b - a;
            warmNanos += d - b;
            assertEquals(expected, actual, "prefix '" + prefix + "'");
            assertTrue(actual.cardinality() > 0);
        }
        // A partial UTF-8 character at the end of a token: the first byte of 'é' alone is a live prefix in a string.
        System.out.printf("token trie: %d nodes for %d tokens, built in %d ms; mask per state: cold %.0f us, cached %.1f us (n=%d prefixes)%n",
                vocab.trie().nodeCount(), vocab.size(), buildMicros / 1000, coldNanos / 1e3 / prefixes.length, warmNanos / 1e3 / prefixes.length,
                prefixes.length);
    }
}
