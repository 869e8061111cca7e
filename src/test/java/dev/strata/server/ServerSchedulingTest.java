package dev.strata.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One slot, one queue place, long streaming requests held open on raw sockets: a third request gets 503 with
 * Retry-After, and dropping the sockets cancels generation so the slot serves the next request at once.
 */
class ServerSchedulingTest {
    private static final String SLOW = "{\"prompt\": \"Once\", \"max_tokens\": 8000, \"ignore_eos\": true, \"stream\": true}";
    private static TestServer fixture;

    @BeforeAll
    static void start() {
        fixture = new TestServer(ServerConfig.loopback(0, 1, 1).withContextSize(8192));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    /** Sends a slow streaming request; returns once the first event arrived (so it holds the slot) when waitForData. */
    private static Socket openSlowStream(boolean waitForData) throws Exception {
        Socket socket = new Socket("127.0.0.1", fixture.server.port());
        socket.setSoTimeout(10_000);
        byte[] body = SLOW.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        if (waitForData) {
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("data: ")) {
                int b = in.read();
                assertTrue(b >= 0, "stream ended early: " + seen);
                seen.append((char) b);
            }
        }
        return socket;
    }

    private static double metric(String name) throws Exception {
        return metrics().getOrDefault(name, Double.NaN);
    }

    /** One /metrics scrape, so that several values come from the same moment. */
    private static Map<String, Double> metrics() throws Exception {
        Map<String, Double> values = new HashMap<>();
        for (String line : fixture.get("/metrics").body().split("\n")) {
            int space = line.indexOf(' ');
            if (!line.startsWith("#") && space > 0) values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return values;
    }

    /**
     * Waits until every named metric has its value in one scrape, and asserts on that last scrape. A
     * queued request whose client has gone may still take the freed slot for a moment before its
     * disconnect is noticed, so one metric seen at 0 does not mean the server is settled.
     */
    private static void awaitMetrics(Map<String, Double> expected) throws Exception {
        Map<String, Double> seen = metrics();
        for (int i = 0; i < 250 && !seen.entrySet().containsAll(expected.entrySet()); i++) {
            Thread.sleep(20);
            seen = metrics();
        }
        for (var e : expected.entrySet()) assertEquals(e.getValue(), seen.get(e.getKey()), e.getKey());
    }

    private static void assertQuickRequestSucceeds() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> quick = fixture.post("/v1/completions", "{\"prompt\": \"Once\", \"max_tokens\": 4}");
        assertEquals(200, quick.statusCode(), quick.body());
        assertTrue((System.nanoTime() - t0) / 1e9 < 10, "the slot was not freed promptly");
    }

    @Test
    void fullQueueIs503WithRetryAfterAndDisconnectsFreeTheSlots() throws Exception {
        try (Socket running = openSlowStream(true); Socket queued = openSlowStream(false)) {
            awaitMetrics(Map.of("strata_queue_depth", 1.0));
            HttpResponse<String> refused = fixture.post("/v1/completions", "{\"prompt\": \"Once\", \"max_tokens\": 4}");
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
            assertTrue(refused.body().contains("\"code\":\"server_overloaded\""), refused.body());
        }
        awaitMetrics(Map.of("strata_active_slots", 0.0, "strata_queue_depth", 0.0));
        assertQuickRequestSucceeds();
    }

    @Test
    void clientDisconnectDuringStreamingCancelsGeneration() throws Exception {
        double cancelledBefore = metric("strata_requests_cancelled_total");
        openSlowStream(true).close();
        assertQuickRequestSucceeds();
        assertTrue(metric("strata_requests_cancelled_total") > cancelledBefore);
    }
}
