package dev.strata.generate;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.SharedData;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.sample.SamplerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Free-running greedy generation of stories260K-F32 reproduces llama.cpp's text for every oracle prompt. */
class GreedyGenerationTest {
    @Test
    void storiesF32ReproducesOracleTextForEveryPrompt() throws Exception {
        ObjectMapper json = new ObjectMapper();
        try (Engine e = Engine.open(SharedData.model("stories260K-F32.gguf"), 2, "auto")) {
            for (String line : Files.readAllLines(SharedData.oracle("stories260K-F32"))) {
                JsonNode oc = json.readTree(line);
                int[] ids = e.tokenizer().encode(oc.get("prompt").asText(), true, true);
                int[] expectedIds = json.treeToValue(oc.get("prompt_ids"), int[].class);
                assertArrayEquals(expectedIds, ids, "prompt tokens of " + oc.get("id"));
                GenerationResult r = Generator.generate(e, e.newSequence(null, 0, 512),
                        new GenerationRequest(ids, SamplerConfig.greedy(), 32, List.of(), false), s -> {}, () -> false, new ForwardStats());
                String expected = new String(HexFormat.of().parseHex(oc.get("text_hex").asText()), StandardCharsets.UTF_8);
                assertEquals(expected, r.text(), "text of " + oc.get("id"));
                assertArrayEquals(json.treeToValue(oc.get("generated_ids"), int[].class), r.tokens(), "tokens of " + oc.get("id"));
            }
        }
    }

    @Test
    void sameSeedSameTextDifferentSeedDifferentText() {
        try (Engine e = Engine.open(SharedData.model("stories260K-F32.gguf"), 2, "auto")) {
            int[] ids = e.tokenizer().encode("Once upon a time", true, true);
            SamplerConfig cfg = new SamplerConfig(1.0f, 0, 1.0f, 0f, 1.0f, 64, 42);
            String a = gen(e, ids, cfg), b = gen(e, ids, cfg), c = gen(e, ids, cfg.withSeed(7));
            assertEquals(a, b);
            assertNotEquals(a, c);
        }
    }

    @Test
    void stopStringEndsGenerationWithoutEmittingIt() {
        try (Engine e = Engine.open(SharedData.model("stories260K-F32.gguf"), 2, "auto")) {
            int[] ids = e.tokenizer().encode("Once upon a time", true, true);
            GenerationResult r = Generator.generate(e, e.newSequence(null, 0, 512),
                    new GenerationRequest(ids, SamplerConfig.greedy(), 64, List.of("Lily"), false), s -> {}, () -> false, new ForwardStats());
            assertEquals(", there was a little girl named ", r.text());
            assertEquals(FinishReason.STOP, r.finishReason());
        }
    }

    private static String gen(Engine e, int[] ids, SamplerConfig cfg) {
        return Generator.generate(e, e.newSequence(null, 0, 512), new GenerationRequest(ids, cfg, 24, List.of(), false),
                s -> {}, () -> false, new ForwardStats()).text();
    }
}
