package dev.strata.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.SharedData;
import dev.strata.tokenizer.ChatTemplate;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real tool-using chat templates in ../shared render a tool list, an assistant tool call and its result
 * from the maps the server builds, and each is classified into the call format it teaches the model.
 */
class ToolTemplatesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @CsvSource({"Qwen-Qwen2.5-7B-Instruct, HERMES", "NousResearch-Hermes-2-Pro-Llama-3-8B-tool_use, HERMES",
            "NousResearch-Hermes-3-Llama-3.1-8B-tool_use, HERMES", "meta-llama-Llama-3.1-8B-Instruct, LLAMA3",
            "meta-llama-Llama-3.2-3B-Instruct, LLAMA3", "meta-llama-Llama-3.3-70B-Instruct, LLAMA3",
            "mistralai-Mistral-Nemo-Instruct-2407, MISTRAL"})
    void toolTemplatesRenderToolsCallsAndResults(String template, String format) throws Exception {
        String source = Files.readString(SharedData.require(SharedData.resolve("chat-templates/" + template + ".jinja")));
        assertEquals(ToolCalling.Format.valueOf(format), ToolCalling.Format.of(source));
        List<Map<String, Object>> messages = JSON.readValue("""
                [{"role":"user","content":"Weather in Oslo?"},
                 {"role":"assistant","content":"","tool_calls":[{"id":"call12345","type":"function","function":{"name":"get_weather","arguments":{"city":"Oslo"}}}]},
                 {"role":"tool","content":"sunny","tool_call_id":"call12345","name":"get_weather"}]""", new TypeReference<>() {});
        List<Object> tools = JSON.readValue("""
                [{"type":"function","function":{"name":"get_weather","description":"Forecast for a city",
                  "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]""", new TypeReference<>() {});
        ChatTemplate chat = new ChatTemplate(source, "<s>", "</s>").withClock(Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC));
        String rendered = chat.renderMaps(messages, true, Map.of("tools", tools));
        assertTrue(rendered.contains("Forecast for a city"), template + " does not show the tool:\n" + rendered);
        assertTrue(rendered.contains("Oslo") && rendered.contains("sunny"), template + " drops the call or its result:\n" + rendered);
    }
}
