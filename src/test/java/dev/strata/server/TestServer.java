package dev.strata.server;

import dev.strata.SharedData;
import dev.strata.generate.GenerationRequest;
import dev.strata.generate.Generator;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.sample.SamplerConfig;
import dev.strata.tokenizer.ChatMessage;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** A real server on a random loopback port around stories260K, plus raw-HTTP helpers for the tests. */
final class TestServer implements AutoCloseable {
    static final String MODEL_FILE = "stories260K-F32.gguf";

    final Engine engine;
    final StrataServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    TestServer(ServerConfig config) {
        this(MODEL_FILE, config);
    }

    TestServer(String modelFile, ServerConfig config) {
        this(SharedData.require(SharedData.model(modelFile)), config);
    }

    TestServer(java.nio.file.Path model, ServerConfig config) {
        engine = Engine.open(model, 1, "auto");
        server = new StrataServer(engine, config, new PrintStream(System.out, true)).start();
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    HttpResponse<String> post(String path, String json, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30)).GET();
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What the server must answer for a greedy chat request, computed directly with the Generator. */
    String greedyChat(String userText, int maxTokens) {
        String rendered = engine.chatTemplate().render(List.of(ChatMessage.user(userText)), true);
        return greedy(engine.tokenizer().encode(rendered, false, true), maxTokens);
    }

    String greedyCompletion(String prompt, int maxTokens) {
        return greedy(engine.tokenizer().encode(prompt, true, true), maxTokens);
    }

    private String greedy(int[] prompt, int maxTokens) {
        var seq = engine.newSequence(null, 0, server.contextSize());
        return Generator.generate(engine, seq, new GenerationRequest(prompt, SamplerConfig.greedy(), maxTokens, List.of(), false),
                s -> {}, () -> false, new ForwardStats()).text();
    }

    @Override
    public void close() {
        server.stop(Duration.ofSeconds(5));
        engine.close();
    }
}
