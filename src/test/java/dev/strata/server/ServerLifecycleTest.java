package dev.strata.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Graceful shutdown finishes in-flight work; a model with its own chat template answers like the Generator. */
class ServerLifecycleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void stopFinishesInFlightRequestsThenRefusesNewOnes() throws Exception {
        try (TestServer fixture = new TestServer(ServerConfig.loopback(0, 1, 2).withContextSize(2048))) {
            String body = "{\"prompt\": \"Once\", \"max_tokens\": 200, \"ignore_eos\": true}";
            CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return fixture.post("/v1/completions", body);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            for (int i = 0; i < 250 && fixture.get("/metrics").body().contains("strata_active_slots 0.000"); i++) Thread.sleep(20);
            var health = java.net.http.HttpRequest.newBuilder(java.net.URI.create(fixture.base() + "/health")).build();
            fixture.server.stop(Duration.ofSeconds(30));
            HttpResponse<String> finished = inFlight.get(30, TimeUnit.SECONDS);
            assertEquals(200, finished.statusCode(), finished.body());
            assertEquals(200, JSON.readTree(finished.body()).get("usage").get("completion_tokens").asInt());
            assertThrows(java.io.IOException.class, () -> fixture.http.send(health, HttpResponse.BodyHandlers.ofString()));
        }
    }

    @Test
    void chatTemplateModelGreedyAnswerEqualsGenerator() throws Exception {
        try (TestServer fixture = new TestServer("qwen2-tiny-random.gguf", ServerConfig.loopback(0, 1, 1))) {
            assertTrue(!fixture.engine.chatTemplate().isFallback());
            String body = JSON.createObjectNode().put("temperature", 0).put("max_tokens", 4)
                    .set("messages", JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user").put("content", "Hello there")))
                    .toString();
            HttpResponse<String> response = fixture.post("/v1/chat/completions", body);
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(fixture.greedyChat("Hello there", 4),
                    JSON.readTree(response.body()).get("choices").get(0).get("message").get("content").asText());
        }
    }
}
