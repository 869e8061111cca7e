package dev.strata.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.StrataException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A load test of a running OpenAI-compatible server: {@code clients} streaming clients, each sending
 * {@code requests} completions one after another. Measures time to first token, the gaps between
 * streamed chunks, and aggregate generated tokens per second over the wall time. Each client reads its
 * stream on its own blocking socket ({@link SseClient}), so the load generator wakes one thread per token.
 */
public final class ServeLoad {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** warmupTokens: each client first streams one unmeasured request this long (0: none). */
    public record Config(String url, String apiKey, int clients, int requests, String prompt, int maxTokens, double temperature,
                         int warmupTokens) {
        public Config(String url, String apiKey, int clients, int requests, String prompt, int maxTokens, double temperature) {
            this(url, apiKey, clients, requests, prompt, maxTokens, temperature, 0);
        }
    }

    /** One streamed request: time to first chunk, gaps between later chunks, tokens generated. */
    record Stream(double ttftSeconds, List<Double> gaps, int tokens) {}

    public record Result(int clients, int requests, int failed, long tokens, double wallSeconds, List<Double> ttft, List<Double> itl) {
        public double tokensPerSecond() {
            return tokens / wallSeconds;
        }

        public static double percentile(List<Double> sorted, double p) {
            if (sorted.isEmpty()) return Double.NaN;
            int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
        }
    }

    public static Result run(Config c) {
        ExecutorService pool = Executors.newFixedThreadPool(c.clients());
        List<Future<List<Stream>>> futures = new ArrayList<>();
        // the clients warm up (the load generator's own JIT and connections) and then start the clock together
        CyclicBarrier start = new CyclicBarrier(c.clients());
        long[] t0 = new long[1];
        Config warm = new Config(c.url(), c.apiKey(), 1, 1, c.prompt(), c.warmupTokens(), c.temperature(), 0);
        for (int i = 0; i < c.clients(); i++) {
            futures.add(pool.submit(() -> {
                try {
                    if (c.warmupTokens() > 0) stream(warm);
                } catch (Exception e) {
                    // a server that fails the warm-up fails the measured requests too, where it is counted
                }
                if (start.await() == 0) t0[0] = System.nanoTime();
                start.await();
                List<Stream> done = new ArrayList<>();
                for (int r = 0; r < c.requests(); r++) done.add(stream(c));
                return done;
            }));
        }
        List<Double> ttft = new ArrayList<>(), itl = new ArrayList<>();
        long tokens = 0;
        int failed = 0;
        try {
            for (Future<List<Stream>> f : futures) {
                for (Stream s : f.get()) {
                    if (s == null) {
                        failed++;
                        continue;
                    }
                    ttft.add(s.ttftSeconds());
                    itl.addAll(s.gaps());
                    tokens += s.tokens();
                }
            }
        } catch (Exception e) {
            throw new StrataException("load test failed: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        } finally {
            pool.shutdownNow();
        }
        double wall = (System.nanoTime() - t0[0]) / 1e9;
        Collections.sort(ttft);
        Collections.sort(itl);
        return new Result(c.clients(), c.clients() * c.requests(), failed, tokens, wall, ttft, itl);
    }

    /** One streaming completion; null when the server did not answer 200. */
    private static Stream stream(Config c) throws Exception {
        String body = JSON.createObjectNode().put("prompt", c.prompt()).put("max_tokens", c.maxTokens()).put("temperature", c.temperature())
                .put("stream", true).set("stream_options", JSON.createObjectNode().put("include_usage", true)).toString();
        long start = System.nanoTime();
        long[] last = {0};
        double[] ttft = {Double.NaN};
        int[] tokens = {0};
        List<Double> gaps = new ArrayList<>();
        int status = SseClient.post(URI.create(c.url() + "/v1/completions"), c.apiKey(), body, data -> {
            if (data.equals("[DONE]")) return;
            JsonNode event;
            try {
                event = JSON.readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (event.path("usage").has("completion_tokens")) tokens[0] = event.get("usage").get("completion_tokens").asInt();
            JsonNode choices = event.path("choices");
            if (choices.isEmpty() || choices.get(0).path("text").asText().isEmpty()) return;
            long now = System.nanoTime();
            if (Double.isNaN(ttft[0])) ttft[0] = (now - start) / 1e9;
            else gaps.add((now - last[0]) / 1e9);
            last[0] = now;
        });
        return status == 200 ? new Stream(ttft[0], gaps, tokens[0]) : null;
    }
}
