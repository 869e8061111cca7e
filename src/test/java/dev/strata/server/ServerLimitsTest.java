package dev.strata.server;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.SharedData;
import dev.strata.runtime.Engine;
import java.io.PrintStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bounded resources and error formats of the server (issue #20 findings 2, 3, 4 and 10). */
class ServerLimitsTest {
    private static final Pattern SAMPLE_LINE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\"(,[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\")*\\})? -?[0-9][0-9.eE+-]*");

    private static Engine engine;
    private static StrataServer server;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        engine = Engine.open(SharedData.require(SharedData.model(TestServer.MODEL_FILE)), 1, "auto");
        ServerLimits limits = ServerLimits.defaults().withMaxBodyBytes(64 << 10).withIdleTimeout(Duration.ofSeconds(2));
        server = new StrataServer(engine, ServerConfig.loopback(0, 1, 4), limits, new PrintStream(OutputStream.nullOutputStream())).start();
    }

    @AfterAll
    static void stop() {
        server.stop(Duration.ofSeconds(2));
        engine.close();
    }

    private static void assertOpenAiError(RawHttp.Response r, int status) throws Exception {
        assertEquals(status, r.status(), () -> r.head() + "\n" + r.body());
        assertTrue(r.head().toLowerCase().contains("content-type: application/json"), r.head());
        JsonNode error = JsonFields.MAPPER.readTree(r.body()).get("error");
        assertNotNull(error, r.body());
        assertTrue(error.get("message").asText().length() > 5, r.body());
        assertTrue(error.has("type") && error.has("param") && error.has("code"), r.body());
    }

    @Test
    void aChunkedFloodGets413FromA512MiBHeapServerThatKeepsServing() throws Exception {
        try (ChildServer child = new ChildServer("-Xmx512m", SharedData.require(SharedData.model(TestServer.MODEL_FILE)))) {
            RawHttp.Response r = RawHttp.chunkedFlood(child.port, "/v1/chat/completions", 700L << 20, 20_000);
            assertOpenAiError(r, 413);
            assertTrue(r.body().contains("8388608"), r.body());
            String big = "{\"prompt\":\"" + "a".repeat(9 << 20) + "\"}";
            RawHttp.Response cl = RawHttp.exchange(child.port, "POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + big.length() + "\r\n\r\n" + big, 20_000);
            assertOpenAiError(cl, 413);
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + child.port + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertTrue(child.alive());
            assertFalse(child.log.toString().contains("OutOfMemoryError"), child.log::toString);
        }
    }

    @Test
    void aChunkedBodyJustOverTheLimitIs413AndJustUnderIsParsed() throws Exception {
        RawHttp.Response over = RawHttp.chunkedFlood(server.port(), "/tokenize", 1 << 20, 10_000);
        assertOpenAiError(over, 413);
        String json = "{\"content\":\"hello\"}";
        RawHttp.Response under = RawHttp.exchange(server.port(), "POST /tokenize HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + Integer.toHexString(json.length()) + "\r\n" + json + "\r\n0\r\n\r\n", 10_000);
        assertEquals(200, under.status(), under.body());
        assertTrue(under.body().contains("\"tokens\""), under.body());
    }

    @Test
    void aBodyShorterThanItsContentLengthIs400AfterTheIdleTimeoutNot500After30s() throws Exception {
        long start = System.nanoTime();
        RawHttp.Response r = RawHttp.exchange(server.port(), "POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000\r\n\r\n{\"prompt\":", 25_000);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertOpenAiError(r, 400);
        assertTrue(seconds < 15, "answered after " + seconds + " s");
    }

    @Test
    void jettysOwnBadRequestIsJson() throws Exception {
        assertOpenAiError(RawHttp.exchange(server.port(), "GET /../x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 10_000), 400);
        assertOpenAiError(RawHttp.exchange(server.port(), "GET /%2e%2e/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 10_000), 400);
    }

    @Test
    void metricsLabelByRouteSoRandomPathsNeitherGrowNorBreakIt() throws Exception {
        Random rnd = new Random(20);
        String base = "http://127.0.0.1:" + server.port();
        for (int i = 0; i < 4000; i++) {
            String path = "/" + Long.toString(rnd.nextLong() & Long.MAX_VALUE, 36) + "/" + i;
            http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.discarding());
        }
        RawHttp.exchange(server.port(), "GET /\"},evil=\"1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5_000);
        RawHttp.exchange(server.port(), "GET /a\\\"b%0Ac HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5_000);
        String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.length() < 8192, "/metrics is " + metrics.length() + " bytes after 4,000 random paths");
        assertTrue(metrics.contains("strata_requests_total{path=\"unmatched\",status=\"404\"} 40"), metrics);
        for (String line : metrics.split("\n")) {
            if (line.startsWith("#")) continue;
            assertTrue(SAMPLE_LINE.matcher(line).matches(), () -> "not a Prometheus sample line: " + line);
        }
        assertFalse(metrics.contains("evil"), metrics);
    }

    @Test
    void aLayerPathOverTheStepCapIs400NamingTheLimit() throws Exception {
        String layers = "dup:0-0,".repeat(6_000) + "dup:0-0";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"Once\",\"max_tokens\":1,\"layers\":\"" + layers + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode(), r.body());
        JsonNode error = JsonFields.MAPPER.readTree(r.body()).get("error");
        assertEquals("layers", error.get("param").asText());
        assertTrue(error.get("message").asText().contains("more than 20 steps"), r.body());
    }
}
