package dev.strata.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.generate.GenerationRequest;
import dev.strata.generate.Generator;
import dev.strata.runtime.ForwardStats;
import dev.strata.sample.SamplerConfig;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Concurrent requests share decode steps (the mean batch over the run is well above one), and
 * each still gets exactly the greedy text it would get alone, with mixed prompt lengths and a
 * per-request layer path in the mix.
 */
class ContinuousBatchingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void concurrentRequestsShareStepsAndKeepTheirOwnTokens() throws Exception {
        List<String> prompts = List.of("Once upon a time", "Lily and Tom went to the", "The little dog was sad because",
                "Mom said", "One day, a big red ball rolled", "Tim");
        int tokens = 40;
        try (TestServer s = new TestServer(ServerConfig.loopback(0, 8, 8))) {
            List<String> alone = new ArrayList<>();
            for (int i = 0; i < prompts.size(); i++) alone.add(alone(s, prompts.get(i), layers(i), tokens));
            ExecutorService pool = Executors.newFixedThreadPool(prompts.size());
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> answers = new ArrayList<>();
                for (int i = 0; i < prompts.size(); i++) {
                    String p = prompts.get(i), layers = layers(i);
                    answers.add(pool.submit(() -> {
                        go.await();
                        var json = JSON.createObjectNode().put("prompt", p).put("max_tokens", tokens).put("temperature", 0);
                        if (layers != null) json.put("layers", layers);
                        String body = json.toString();
                        HttpResponse<String> r = s.post("/v1/completions", body);
                        assertEquals(200, r.statusCode(), r.body());
                        return JSON.readTree(r.body()).get("choices").get(0).get("text").asText();
                    }));
                }
                go.countDown();
                for (int i = 0; i < prompts.size(); i++) assertEquals(alone.get(i), answers.get(i).get(), "prompt " + i);
            } finally {
                pool.shutdownNow();
            }
            String metrics = s.get("/metrics").body();
            long steps = counter(metrics, "strata_decode_steps_total"), carried = counter(metrics, "strata_decode_step_sequences_total");
            assertTrue(carried >= prompts.size() * tokens, metrics);
            assertTrue(carried > 2.0 * steps, "mean batch " + (double) carried / steps + " over " + steps + " steps");
        }
    }

    /** Every third request runs another layer path, so the batch holds two plans at once. */
    private static String layers(int i) {
        return i % 3 == 1 ? "dup:1-2" : null;
    }

    private static String alone(TestServer s, String prompt, String layers, int tokens) {
        var seq = s.engine.newSequence(layers, 0, s.server.contextSize());
        var request = new GenerationRequest(s.engine.tokenizer().encode(prompt, true, true), SamplerConfig.greedy(), tokens, List.of(), false);
        return Generator.generate(s.engine, seq, request, t -> {}, () -> false, new ForwardStats()).text();
    }

    private static long counter(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)$").matcher(metrics);
        assertTrue(m.find(), name + " missing");
        return Long.parseLong(m.group(1));
    }
}
