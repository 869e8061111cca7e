package dev.strata.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.SharedData;
import dev.strata.StrataException;
import dev.strata.generate.FinishReason;
import dev.strata.tokenizer.ChatMessage;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The library facade against llama.cpp's greedy text for the real stories260K weights. */
class StrataModelTest {
    static StrataModel model;
    static JsonNode once;

    @BeforeAll
    static void load() throws Exception {
        model = Strata.load(SharedData.model("stories260K-F32.gguf"), LoadOptions.defaults().threads(2).kernels("panama"));
        once = new ObjectMapper().readTree(Files.readAllLines(SharedData.oracle("stories260K-F32")).getFirst());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void greedyGenerationEqualsLlamaCppText() {
        Completion c = model.generate(once.get("prompt").asText(), GenerateOptions.greedy().maxTokens(32));
        assertEquals(once.get("text").asText(), c.text());
        assertEquals(32, c.generatedTokens());
        assertEquals(once.get("prompt_ids").size(), c.promptTokens());
        assertEquals(FinishReason.LENGTH, c.finishReason());
    }

    @Test
    void streamedPiecesConcatenateToTheText() {
        StringBuilder pieces = new StringBuilder();
        Completion c = model.stream(once.get("prompt").asText(), GenerateOptions.greedy().maxTokens(20), pieces::append, () -> false);
        assertEquals(c.text(), pieces.toString());
        assertEquals(once.get("text").asText().substring(0, c.text().length()), c.text());
    }

    @Test
    void concurrentCallsGetTheirOwnSequences() throws Exception {
        var pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < 3; i++) futures.add(pool.submit(() -> model.generate(once.get("prompt").asText(), GenerateOptions.greedy().maxTokens(32)).text()));
            for (Future<String> f : futures) assertEquals(once.get("text").asText(), f.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void stopStringsAndLayerPathsApplyPerCall() {
        Completion stopped = model.generate(once.get("prompt").asText(), GenerateOptions.greedy().maxTokens(32).stop(List.of("Lily")));
        assertEquals(", there was a little girl named ", stopped.text());
        assertEquals(FinishReason.STOP, stopped.finishReason());
        String skipped = model.generate(once.get("prompt").asText(), GenerateOptions.greedy().maxTokens(32).layers("skip:1-3")).text();
        org.junit.jupiter.api.Assertions.assertNotEquals(once.get("text").asText(), skipped);
    }

    @Test
    void chatRendersTheTemplateAndBadInputIsAOneLineError() {
        Completion c = model.chat(List.of(ChatMessage.user("Once upon a time")), GenerateOptions.greedy().maxTokens(8));
        String rendered = model.engine().chatTemplate().render(List.of(ChatMessage.user("Once upon a time")), true);
        assertEquals(model.tokenize(rendered, false).length, c.promptTokens());
        assertThrows(StrataException.class, () -> model.chat(List.of(), GenerateOptions.greedy()));
        assertThrows(StrataException.class, () -> model.generate("x", GenerateOptions.greedy().layers("0-99")));
        assertThrows(IllegalArgumentException.class, () -> GenerateOptions.greedy().maxTokens(-2));
    }
}
