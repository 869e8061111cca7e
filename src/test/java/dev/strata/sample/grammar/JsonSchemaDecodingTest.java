package dev.strata.sample.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.SharedData;
import dev.strata.StrataException;
import dev.strata.generate.FinishReason;
import dev.strata.generate.GenerationRequest;
import dev.strata.generate.GenerationResult;
import dev.strata.generate.Generator;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.sample.SamplerConfig;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Grammar-constrained decoding from a random-weight model: for 200 random schemas of the supported subset
 * the generated text parses with Jackson and passes an independent validator, and generation ends by
 * end-of-generation (the grammar allows it only once the value is complete), never by the token limit.
 */
class JsonSchemaDecodingTest {
    private static final int SCHEMAS = 200;

    @Test
    void outputOfRandomWeightsValidatesAgainst200RandomSchemas() throws Exception {
        try (Engine engine = Engine.open(SharedData.require(SharedData.model("llama3-tiny-random.gguf")), 1, "auto")) {
            GrammarVocabulary vocab = GrammarVocabulary.of(engine.tokenizer());
            int[] prompt = engine.tokenizer().encode("Answer in JSON:", true, false);
            SplittableRandom random = new SplittableRandom(2026);
            long tokens = 0, nanos = 0;
            var cpu = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpuStart = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < SCHEMAS; i++) {
                JsonNode schema = JsonSchemaSubset.randomObject(random, 2);
                Grammar grammar = Grammar.parse(JsonSchemaGrammar.toGbnf(schema));
                GrammarConstraint constraint = new GrammarConstraint(grammar, vocab);
                SamplerConfig sampling = i % 2 == 0 ? SamplerConfig.greedy() : SamplerConfig.defaults().withTemperature(1.0f).withSeed(i);
                var seq = engine.newSequence(null, 0, 2048);
                long t0 = System.nanoTime();
                GenerationResult result = Generator.generate(engine, seq,
                        new GenerationRequest(prompt, sampling, 1500, List.of(), false, constraint, null), s -> {}, () -> false, new ForwardStats());
                nanos += System.nanoTime() - t0;
                tokens += result.tokens().length;
                assertEquals(FinishReason.STOP, result.finishReason(), "schema " + i + " " + schema + " ran out of tokens: " + result.text());
                JsonNode value = JsonSchemaSubset.MAPPER.readTree(result.text());
                assertNull(JsonSchemaSubset.violation(value, schema, "$"), "schema " + i + " " + schema + "\noutput " + result.text());
            }
            System.out.printf("%d schemas, %d constrained tokens, %.2f ms per token including the forward pass (wall), %.2f ms (CPU of this thread)%n",
                    SCHEMAS, tokens, nanos / 1e6 / tokens, (cpu.getCurrentThreadCpuTime() - cpuStart) / 1e6 / tokens);
        }
    }

    @Test
    void unsupportedKeywordsAreRefusedNotIgnored() {
        StrataException e = assertThrows(StrataException.class,
                () -> JsonSchemaGrammar.toGbnf("{\"type\":\"string\",\"pattern\":\"^a+$\"}"));
        assertTrue(e.getMessage().contains("pattern"), e.getMessage());
        assertThrows(StrataException.class, () -> JsonSchemaGrammar.toGbnf("{\"$ref\":\"http://example.com/s.json\"}"));
    }

    @Test
    void optionalPropertiesMayBeOmittedButKeepTheirOrderAndRecursiveRefsWork() {
        Grammar g = Grammar.parse(JsonSchemaGrammar.toGbnf("""
                {"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"string"},"c":{"type":"boolean"}},"required":["b"]}"""));
        assertTrue(GbnfGrammarTest.accepts(g, "{\"b\": \"x\"}"));
        assertTrue(GbnfGrammarTest.accepts(g, "{\"b\": \"x\", \"a\": 1, \"c\": true}"));
        assertTrue(GbnfGrammarTest.accepts(g, "{\"b\":\"x\",\"c\":false}"));
        assertTrue(!GbnfGrammarTest.accepts(g, "{\"b\": \"x\", \"c\": true, \"a\": 1}"));
        assertTrue(!GbnfGrammarTest.accepts(g, "{\"a\": 1}"));
        assertTrue(!GbnfGrammarTest.accepts(g, "{\"b\": \"x\", \"d\": 1}"));
        Grammar tree = Grammar.parse(JsonSchemaGrammar.toGbnf("""
                {"$defs":{"node":{"type":"object","properties":{"kids":{"type":"array","items":{"$ref":"#/$defs/node"}}}}},
                 "$ref":"#/$defs/node"}"""));
        assertTrue(GbnfGrammarTest.accepts(tree, "{\"kids\": [{}, {\"kids\": [{}]}]}"));
        assertTrue(!GbnfGrammarTest.accepts(tree, "{\"kids\": [1]}"));
    }
}
