package dev.strata.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.generate.GenerationRequest;
import dev.strata.generate.Generator;
import dev.strata.runtime.ForwardStats;
import dev.strata.sample.LogitAdjustments;
import dev.strata.sample.SamplerConfig;
import dev.strata.sample.grammar.JsonSchemaSubset;
import dev.strata.tokenizer.ChatMessage;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every field of OpenAI's chat-completions request schema, sent one at a time: the only acceptable answers
 * are a 200 that demonstrably honours the field, or a 400 whose error names it. Nothing is silently ignored.
 */
class ServerRequestFieldsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "Tell me a story.";
    private static TestServer fixture;
    /** CreateChatCompletionRequest's properties in OpenAI's API reference (2025). */
    private static final List<String> OPENAI_CHAT_FIELDS = List.of("audio", "frequency_penalty", "function_call", "functions",
            "logit_bias", "logprobs", "max_completion_tokens", "max_tokens", "messages", "metadata", "modalities", "model", "n",
            "parallel_tool_calls", "prediction", "presence_penalty", "prompt_cache_key", "reasoning_effort", "response_format",
            "safety_identifier", "seed", "service_tier", "stop", "store", "stream", "stream_options", "temperature", "tool_choice",
            "tools", "top_logprobs", "top_p", "user", "verbosity", "web_search_options");

    interface Check {
        void accept(HttpResponse<String> response, JsonNode body) throws Exception;
    }

    @BeforeAll
    static void start() {
        fixture = new TestServer(ServerConfig.loopback(0, 1, 8));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static String reference(SamplerConfig sampling, int maxTokens, LogitAdjustments adjustments) {
        String rendered = fixture.engine.chatTemplate().render(List.of(ChatMessage.user(USER)), true);
        int[] prompt = fixture.engine.tokenizer().encode(rendered, false, true);
        return Generator.generate(fixture.engine, fixture.engine.newSequence(null, 0, fixture.server.contextSize()),
                new GenerationRequest(prompt, sampling, maxTokens, List.of(), false, adjustments, null), s -> {}, () -> false,
                new ForwardStats()).text();
    }

    private static int firstGreedyToken() {
        String rendered = fixture.engine.chatTemplate().render(List.of(ChatMessage.user(USER)), true);
        int[] first = {-1};
        Generator.generate(fixture.engine, fixture.engine.newSequence(null, 0, fixture.server.contextSize()),
                new GenerationRequest(fixture.engine.tokenizer().encode(rendered, false, true), SamplerConfig.greedy(), 1, List.of(), false,
                        null, (token, logits, n) -> first[0] = token), s -> {}, () -> false, new ForwardStats());
        return first[0];
    }

    private static String content(JsonNode body) {
        return body.at("/choices/0/message/content").asText();
    }

    private static Check refused(String field) {
        return (r, body) -> {
            assertEquals(400, r.statusCode(), field + ": " + r.body());
            assertTrue(body.at("/error/param").asText().startsWith(field), field + " not named: " + r.body());
        };
    }

    @Test
    void everyChatCompletionFieldIsHonouredOrRefusedByName() throws Exception {
        String greedy = reference(SamplerConfig.greedy(), 12, null);
        Map<String, Object[]> cases = new LinkedHashMap<>();
        cases.put("audio", new Object[] {"{\"voice\":\"alloy\",\"format\":\"wav\"}", refused("audio")});
        cases.put("frequency_penalty", new Object[] {"1.5", (Check) (r, b) -> assertEquals(
                reference(SamplerConfig.greedy(), 12, new LogitAdjustments(Map.of(), 0, 1.5f)), content(b))});
        cases.put("function_call", new Object[] {"\"auto\"", refused("function_call")});
        cases.put("functions", new Object[] {"[{\"name\":\"f\",\"parameters\":{}}]", refused("functions")});
        cases.put("logit_bias", new Object[] {"{\"" + firstGreedyToken() + "\":-100}",
                (Check) (r, b) -> assertNotEquals(greedy, content(b))});
        cases.put("logprobs", new Object[] {"true", (Check) (r, b) -> assertTrue(b.at("/choices/0/logprobs/content").size() > 0)});
        cases.put("max_completion_tokens", new Object[] {"3", (Check) (r, b) -> assertTrue(b.at("/usage/completion_tokens").asInt() <= 3)});
        cases.put("max_tokens", new Object[] {"2", (Check) (r, b) -> assertTrue(b.at("/usage/completion_tokens").asInt() <= 2)});
        cases.put("messages", new Object[] {"[{\"role\":\"user\",\"content\":\"" + USER + "\"}]", (Check) (r, b) -> assertEquals(greedy, content(b))});
        cases.put("metadata", new Object[] {"{\"k\":\"v\"}", refused("metadata")});
        cases.put("modalities", new Object[] {"[\"text\",\"audio\"]", refused("modalities")});
        cases.put("model", new Object[] {"\"whatever-name\"", (Check) (r, b) -> assertEquals(fixture.server.modelId(), b.get("model").asText())});
        cases.put("n", new Object[] {"2", refused("n")});
        cases.put("parallel_tool_calls", new Object[] {"false", (Check) (r, b) -> assertTrue(b.at("/choices/0/message/tool_calls").isMissingNode())});
        cases.put("prediction", new Object[] {"{\"type\":\"content\",\"content\":\"x\"}", refused("prediction")});
        cases.put("presence_penalty", new Object[] {"-1.0", (Check) (r, b) -> assertEquals(
                reference(SamplerConfig.greedy(), 12, new LogitAdjustments(Map.of(), -1.0f, 0)), content(b))});
        cases.put("prompt_cache_key", new Object[] {"\"k\"", (Check) (r, b) -> assertEquals(greedy, content(b))});
        cases.put("reasoning_effort", new Object[] {"\"low\"", refused("reasoning_effort")});
        String schema = "{\"type\":\"object\",\"properties\":{\"ok\":{\"type\":\"boolean\"}},\"required\":[\"ok\"],\"additionalProperties\":false}";
        cases.put("response_format", new Object[] {"{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"r\",\"schema\":" + schema + "}}",
                (Check) (r, b) -> assertNull(JsonSchemaSubset.violation(JSON.readTree(content(b)), JSON.readTree(schema), "$"))});
        cases.put("safety_identifier", new Object[] {"\"user-1\"", (Check) (r, b) -> assertEquals(greedy, content(b))});
        cases.put("seed", new Object[] {"42", (Check) (r, b) -> assertEquals(
                reference(SamplerConfig.defaults().withTemperature(1.0f).withSeed(42), 12, null), content(b))});
        cases.put("service_tier", new Object[] {"\"flex\"", refused("service_tier")});
        cases.put("stop", new Object[] {"[\".\", \"!\"]", (Check) (r, b) -> {
            assertFalse(content(b).contains(".") || content(b).contains("!"));
            assertTrue(greedy.startsWith(content(b)));
        }});
        cases.put("store", new Object[] {"true", refused("store")});
        cases.put("stream", new Object[] {"true", (Check) (r, b) -> assertTrue(r.body().startsWith("data: ") && r.body().contains("data: [DONE]"))});
        cases.put("stream_options", new Object[] {"{\"include_usage\":true}", (Check) (r, b) -> assertEquals(greedy, content(b))});
        cases.put("temperature", new Object[] {"0", (Check) (r, b) -> assertEquals(greedy, content(b))});
        cases.put("tool_choice", new Object[] {"\"none\"", (Check) (r, b) -> assertEquals(greedy, content(b))});
        cases.put("tools", new Object[] {"[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}]", refused("tools")});
        cases.put("top_logprobs", new Object[] {"2", (Check) (r, b) -> {
            for (JsonNode e : b.at("/choices/0/logprobs/content")) assertEquals(2, e.get("top_logprobs").size());
        }});
        cases.put("top_p", new Object[] {"0.5", (Check) (r, b) -> assertEquals(
                reference(SamplerConfig.defaults().withTemperature(1.0f).withTopP(0.5f).withSeed(7), 12, null), content(b))});
        cases.put("user", new Object[] {"\"user-1\"", (Check) (r, b) -> assertEquals(greedy, content(b))});
        cases.put("verbosity", new Object[] {"\"low\"", refused("verbosity")});
        cases.put("web_search_options", new Object[] {"{}", refused("web_search_options")});
        cases.put("repeat_penalty", new Object[] {"1.3", (Check) (r, b) -> assertEquals(
                reference(SamplerConfig.greedy().withRepeatPenalty(1.3f, 64), 12, null), content(b))});
        cases.put("cache_prompt", new Object[] {"true", refused("cache_prompt")});
        cases.put("no_such_field", new Object[] {"1", refused("no_such_field")});

        for (Map.Entry<String, Object[]> c : cases.entrySet()) {
            String field = c.getKey();
            Map<String, String> body = new LinkedHashMap<>();
            body.put("messages", "[{\"role\":\"user\",\"content\":\"" + USER + "\"}]");
            body.put("max_tokens", "12");
            body.put("temperature", "0");
            if (field.equals("seed")) body.put("temperature", "1.0");
            if (field.equals("top_p")) {
                body.put("temperature", "1.0");
                body.put("seed", "7");
            }
            if (field.equals("top_logprobs")) body.put("logprobs", "true");
            if (field.equals("tool_choice")) body.put("tools", "[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]");
            if (field.equals("stream_options")) body.put("stream", "false");
            if (field.equals("response_format")) body.put("max_tokens", "64");
            body.put(field, (String) c.getValue()[0]);
            StringBuilder json = new StringBuilder("{");
            body.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
            json.append('}');
            HttpResponse<String> response = fixture.post("/v1/chat/completions", json.toString());
            JsonNode parsed = response.body().startsWith("data:") ? null : JSON.readTree(response.body());
            try {
                ((Check) c.getValue()[1]).accept(response, parsed);
            } catch (AssertionError e) {
                throw new AssertionError(field + ": " + e.getMessage() + "\n" + json + "\n-> " + response.statusCode() + " " + response.body(), e);
            }
        }
        for (String field : OPENAI_CHAT_FIELDS) assertTrue(cases.containsKey(field), "not covered: " + field);
    }
}
