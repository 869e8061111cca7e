package dev.strata.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code "plan": "NAME"} runs the named plan exactly as giving its layer path would; unknown or conflicting plans are a 400. */
class ServerPlanTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;

    @BeforeAll
    static void start() {
        var config = new ServerConfig("127.0.0.1", 0, 1, 4, null, 0, null, 0, null, false, Map.of("skip-1-3", new ServerConfig.NamedPlan("skip:1-3", 0)));
        server = new TestServer(config);
    }

    @AfterAll
    static void stop() {
        server.server.stop(java.time.Duration.ofSeconds(1));
        server.engine.close();
    }

    private static JsonNode complete(String extra) throws Exception {
        var r = server.post("/v1/completions", "{\"prompt\": \"Once upon a time\", \"max_tokens\": 12, \"temperature\": 0" + extra + "}");
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void aNamedPlanRunsItsLayerPath() throws Exception {
        String byPlan = complete(", \"plan\": \"skip-1-3\"").at("/choices/0/text").asText();
        String byLayers = complete(", \"layers\": \"skip:1-3\"").at("/choices/0/text").asText();
        String plain = complete("").at("/choices/0/text").asText();
        assertEquals(byLayers, byPlan);
        assertNotEquals(plain, byPlan, "skip:1-3 changes the greedy text of stories260K");
    }

    @Test
    void unknownAndConflictingPlansAreRejected() throws Exception {
        var unknown = server.post("/v1/completions", "{\"prompt\": \"hi\", \"plan\": \"nope\"}");
        assertEquals(400, unknown.statusCode());
        assertEquals("plan", JSON.readTree(unknown.body()).at("/error/param").asText());
        assertTrue(unknown.body().contains("skip-1-3"), unknown.body());
        var both = server.post("/v1/completions", "{\"prompt\": \"hi\", \"plan\": \"skip-1-3\", \"layers\": \"skip:1\"}");
        assertEquals(400, both.statusCode());
    }
}
