package dev.strata.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Raw HTTP: every bad request is a JSON error of OpenAI's shape, never a stack trace; auth and side endpoints. */
class ServerErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "sk-test-key";
    private static final String AUTH = "Bearer " + KEY;
    private static TestServer fixture;

    @BeforeAll
    static void start() {
        fixture = new TestServer(ServerConfig.loopback(0, 1, 4).withApiKey(KEY).withContextSize(256).withModelName(null, true));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static JsonNode error(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertFalse(response.body().contains("Exception"), response.body());
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertTrue(error.get("message").isTextual() && !error.get("message").asText().isEmpty(), response.body());
        assertTrue(error.get("type").isTextual(), response.body());
        assertTrue(error.has("param") && error.has("code"), response.body());
        return error;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /v1/chat/completions | {not json                                                        | <null>
            /v1/chat/completions | []                                                               | <null>
            /v1/chat/completions | {}                                                               | messages
            /v1/chat/completions | {"messages": []}                                                 | messages
            /v1/chat/completions | {"messages": "hi"}                                               | messages
            /v1/chat/completions | {"messages": [{"role": "wizard", "content": "hi"}]}              | messages[0].role
            /v1/chat/completions | {"messages": [{"role": "user", "content": 7}]}                   | messages[0].content
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 0}     | max_tokens
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 100000} | max_tokens
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "max_tokens": "5"}   | max_tokens
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 250}   | max_tokens
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "max_completion_tokens": -3} | max_completion_tokens
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "temperature": -0.1} | temperature
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "temperature": 2.5}  | temperature
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "temperature": "hot"} | temperature
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "top_p": 0}          | top_p
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "top_p": 1.5}        | top_p
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "n": 2}              | n
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "stop": 5}           | stop
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "stream": "yes"}     | stream
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "seed": 1.5}        | seed
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "layers": "0-99"}   | layers
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "experts_per_token": 2} | experts_per_token
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 1e30}  | max_tokens
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 99999999999999999999} | max_tokens
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "top_k": -1}        | top_k
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "min_p": 1.5}       | min_p
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "presence_penalty": 5} | presence_penalty
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "n": 0}              | n
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "experts_per_token": -1} | experts_per_token
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "layers": "dup:"}   | layers
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "layers": "loop:1-2"} | layers
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "layers": 7}        | layers
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "stream_options": "yes"} | stream_options
            /v1/chat/completions | {"messages": [{"role": "user", "content": [{"type": "image_url"}]}]} | messages[0].content
            /v1/chat/completions | {"messages": [null]}                                             | messages[0]
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 250, "stream": true} | max_tokens
            /v1/completions      | {}                                                               | prompt
            /v1/completions      | {"prompt": null}                                                 | prompt
            /v1/completions      | {"prompt": "hi", "temperature": -1, "stream": true}              | temperature
            /v1/completions      | {"prompt": "hi", "layers": "0-99", "stream": true}               | layers
            /v1/completions      | {"prompt": 42}                                                   | prompt
            /v1/completions      | {"prompt": "hi", "max_tokens": 1000}                             | max_tokens
            /tokenize            | {"text": "hi"}                                                   | content
            /detokenize          | {"tokens": [1, -1]}                                              | tokens
            """)
    void badRequestIs400WithParam(String path, String body, String param) throws Exception {
        JsonNode error = error(fixture.post(path, body, "Authorization", AUTH), 400);
        assertEquals("invalid_request_error", error.get("type").asText());
        assertEquals(param.equals("<null>") ? null : param, error.get("param").isNull() ? null : error.get("param").asText());
    }

    @Test
    void promptLongerThanTheContextIs400() throws Exception {
        String longPrompt = "Once upon a time there was a cat. ".repeat(80);
        JsonNode error = error(fixture.post("/v1/completions", "{\"prompt\": \"" + longPrompt + "\"}", "Authorization", AUTH), 400);
        assertEquals("prompt", error.get("param").asText());
    }

    @Test
    void unknownModelIs400ModelNotFound() throws Exception {
        JsonNode error = error(fixture.post("/v1/chat/completions",
                "{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "Authorization", AUTH), 400);
        assertEquals("model_not_found", error.get("code").asText());
    }

    @Test
    void missingOrWrongKeyIs401() throws Exception {
        String body = "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": 2}";
        assertEquals("invalid_api_key", error(fixture.post("/v1/chat/completions", body), 401).get("code").asText());
        error(fixture.post("/v1/chat/completions", body, "Authorization", "Bearer wrong"), 401);
        error(fixture.get("/v1/models"), 401);
        assertEquals(200, fixture.post("/v1/chat/completions", body, "Authorization", AUTH).statusCode());
        assertEquals(200, fixture.get("/health").statusCode());
    }

    @Test
    void promptLongerThanTheContextIs400WhenStreamingToo() throws Exception {
        String longPrompt = "Once upon a time there was a cat. ".repeat(80);
        HttpResponse<String> r = fixture.post("/v1/chat/completions", "{\"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \""
                + longPrompt + "\"}]}", "Authorization", AUTH);
        assertEquals("messages", error(r, 400).get("param").asText());
    }

    @Test
    void garbageAndOversizedBodiesAreJsonErrorsAndTheServerKeepsServing() throws Exception {
        error(fixture.post("/v1/chat/completions", "\u0000\u00ff{{{\"", "Authorization", AUTH), 400);
        error(fixture.post("/v1/completions", "", "Authorization", AUTH), 400);
        error(fixture.post("/v1/completions", "[".repeat(100_000), "Authorization", AUTH), 400);
        HttpResponse<String> huge = fixture.post("/v1/completions", "{\"prompt\": \"" + "a".repeat(9 << 20) + "\"}", "Authorization", AUTH);
        assertTrue(huge.statusCode() == 413 || huge.statusCode() == 400, huge.statusCode() + " " + huge.body());
        error(huge, huge.statusCode());
        HttpResponse<String> ok = fixture.post("/v1/completions", "{\"prompt\": \"Once\", \"max_tokens\": 3}", "Authorization", AUTH);
        assertEquals(200, ok.statusCode(), ok.body());
    }

    @Test
    void unknownEndpointIsJson404() throws Exception {
        error(fixture.get("/v1/nothing", "Authorization", AUTH), 404);
    }

    @Test
    void tokenizeAndDetokenizeRoundTrip() throws Exception {
        HttpResponse<String> tokens = fixture.post("/tokenize", "{\"content\": \"Once upon a time\"}", "Authorization", AUTH);
        assertEquals(200, tokens.statusCode(), tokens.body());
        JsonNode ids = JSON.readTree(tokens.body()).get("tokens");
        assertTrue(ids.isArray() && ids.size() > 1);
        HttpResponse<String> text = fixture.post("/detokenize", "{\"tokens\": " + ids + "}", "Authorization", AUTH);
        assertEquals("Once upon a time", JSON.readTree(text.body()).get("content").asText().strip());
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        fixture.post("/v1/completions", "{\"prompt\": \"Once\", \"max_tokens\": 3}", "Authorization", AUTH);
        String metrics = fixture.get("/metrics", "Authorization", AUTH).body();
        for (String name : new String[] {"strata_requests_total{path=\"/v1/completions\",status=\"200\"}", "strata_completion_tokens_total",
                "strata_completion_tokens_per_second", "strata_queue_depth", "strata_active_slots"}) {
            assertTrue(metrics.contains(name), name + " missing from\n" + metrics);
        }
    }
}
