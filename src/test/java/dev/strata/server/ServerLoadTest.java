package dev.strata.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** 32 concurrent streaming clients x 4 requests on 4 slots: each answer is the greedy one or a 503; none hangs. */
class ServerLoadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 32, REQUESTS_PER_CLIENT = 4, MAX_TOKENS = 16;
    private static final String[] PROMPTS = {"Once upon a time", "The little dog", "Lily wanted to"};

    @Test
    void concurrentStreamingClientsGetCorrectAnswersOr503() throws Exception {
        try (TestServer fixture = new TestServer(ServerConfig.loopback(0, 4, 64))) {
            String[] expected = new String[PROMPTS.length];
            for (int i = 0; i < PROMPTS.length; i++) expected[i] = fixture.greedyCompletion(PROMPTS[i], MAX_TOKENS);
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            AtomicLong tokens = new AtomicLong();
            AtomicInteger rejected = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                done.add(clients.submit(() -> {
                    for (int r = 0; r < REQUESTS_PER_CLIENT; r++) {
                        int p = (client + r) % PROMPTS.length;
                        long t0 = System.nanoTime();
                        long generated = streamOnce(fixture, PROMPTS[p], expected[p]);
                        if (generated < 0) rejected.incrementAndGet();
                        else {
                            tokens.addAndGet(generated);
                            latencies.add(System.nanoTime() - t0);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
            clients.shutdown();
            double seconds = (System.nanoTime() - start) / 1e9;
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            assertEquals(CLIENTS * REQUESTS_PER_CLIENT, sorted.size() + rejected.get());
            assertTrue(!sorted.isEmpty(), "every request was rejected");
            System.out.printf("load: %d ok, %d rejected (503) in %.2f s; latency p50 %.1f ms, p99 %.1f ms; aggregate %.1f tok/s%n",
                    sorted.size(), rejected.get(), seconds, percentile(sorted, 50), percentile(sorted, 99), tokens.get() / seconds);
        }
    }

    /** Streams one completion, checks the text; returns the completion tokens from usage, or -1 on a 503. */
    private static long streamOnce(TestServer fixture, String prompt, String expected) throws Exception {
        String body = JSON.createObjectNode().put("prompt", prompt).put("max_tokens", MAX_TOKENS).put("temperature", 0)
                .put("stream", true).set("stream_options", JSON.createObjectNode().put("include_usage", true)).toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create(fixture.base() + "/v1/completions")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<java.io.InputStream> response = fixture.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() == 503) {
            response.body().close();
            return -1;
        }
        assertEquals(200, response.statusCode());
        StringBuilder text = new StringBuilder();
        long usage = 0;
        boolean sawDone = false;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (!line.startsWith("data: ")) continue;
                String data = line.substring(6);
                if (data.equals("[DONE]")) {
                    sawDone = true;
                    break;
                }
                JsonNode event = JSON.readTree(data);
                if (event.hasNonNull("usage")) usage = event.get("usage").get("completion_tokens").asLong();
                for (JsonNode choice : event.get("choices")) text.append(choice.get("text").asText());
            }
        }
        assertTrue(sawDone, "stream ended without [DONE]");
        assertEquals(expected, text.toString());
        return usage;
    }

    private static double percentile(List<Long> sortedNanos, int p) {
        int index = Math.min(sortedNanos.size() - 1, (int) Math.ceil(p / 100.0 * sortedNanos.size()) - 1);
        return sortedNanos.get(Math.max(0, index)) / 1e6;
    }
}
