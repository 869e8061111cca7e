package dev.strata.generate;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.SharedData;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.sample.SamplerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Lock-step batch generation gives every request what {@link Generator#generate} gives it alone. */
class BatchGeneratorTest {
    static final String[] PROMPTS = {"Once upon a time", "Lily and Tom went to the park.", "The cat", "One day, a little bird",
            "Sam had a big red ball. He", "The sun", "Mom said"};

    private static List<GenerationRequest> requests(Engine e) {
        List<GenerationRequest> list = new ArrayList<>();
        for (int i = 0; i < PROMPTS.length; i++) {
            int[] ids = e.tokenizer().encode(PROMPTS[i], true, true);
            SamplerConfig sampling = i % 3 == 2 ? new SamplerConfig(0.9f, 40, 0.95f, 0.05f, 1.1f, 64, 1000 + i) : SamplerConfig.greedy();
            List<String> stop = i == 0 ? List.of("Lily") : List.of();
            list.add(new GenerationRequest(ids, sampling, 20 + 3 * i, stop, false));
        }
        return list;
    }

    private static GenerationResult alone(Engine e, GenerationRequest r) {
        return Generator.generate(e, e.newSequence(null, 0, 256), r, s -> {}, () -> false, new ForwardStats());
    }

    private static void assertSame(GenerationResult want, GenerationResult got, String what) {
        assertArrayEquals(want.tokens(), got.tokens(), "tokens of " + what);
        assertEquals(want.text(), got.text(), "text of " + what);
        assertEquals(want.finishReason(), got.finishReason(), "finish reason of " + what);
    }

    @Test
    void generateAllEqualsGeneratingOneByOne() {
        try (Engine e = Engine.open(SharedData.model("stories260K-Q8_0.gguf"), 2, "panama")) {
            List<GenerationRequest> reqs = requests(e);
            List<BatchGenerator.Request> batch = new ArrayList<>();
            List<StringBuilder> streamed = new ArrayList<>();
            for (GenerationRequest r : reqs) {
                StringBuilder sb = new StringBuilder();
                streamed.add(sb);
                batch.add(new BatchGenerator.Request(e.newSequence(null, 0, 256), r, sb::append, null));
            }
            List<GenerationResult> got = new BatchGenerator(e, 512).generateAll(batch);
            for (int i = 0; i < reqs.size(); i++) {
                GenerationResult want = alone(e, reqs.get(i));
                assertSame(want, got.get(i), "request " + i);
                assertEquals(want.text(), streamed.get(i).toString(), "streamed text of request " + i);
            }
            assertEquals(FinishReason.STOP, got.get(0).finishReason(), "the stop string ends request 0");
        }
    }

    /**
     * Requests whose callbacks take any thread are advanced across the pool: each still gets its lone
     * tokens and text, its text arrives in order, and the stepping thread is not the only one that calls back.
     */
    @Test
    void threadSafeRequestsAdvancedOnThePoolGetTheirLoneResults() {
        try (Engine e = Engine.open(SharedData.model("stories260K-Q8_0.gguf"), 2, "panama")) {
            List<GenerationRequest> reqs = requests(e);
            List<BatchGenerator.Request> batch = new ArrayList<>();
            List<StringBuffer> streamed = new ArrayList<>();
            java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
            for (GenerationRequest r : reqs) {
                StringBuffer sb = new StringBuffer();
                streamed.add(sb);
                batch.add(new BatchGenerator.Request(e.newSequence(null, 0, 256), r, t -> {
                    threads.add(Thread.currentThread().getName());
                    sb.append(t);
                }, null, true));
            }
            List<GenerationResult> got = new BatchGenerator(e, 512).generateAll(batch);
            for (int i = 0; i < reqs.size(); i++) {
                GenerationResult want = alone(e, reqs.get(i));
                assertSame(want, got.get(i), "request " + i);
                assertEquals(want.text(), streamed.get(i).toString(), "streamed text of request " + i);
            }
            assertTrue(threads.size() >= 2, "text was handed over on " + threads);
        }
    }

    /** Chunked prefill (3 prompt tokens per step) and requests joining mid-run; scalar kernels make chunking exact. */
    @Test
    void requestsJoiningBetweenStepsWithChunkedPromptsGetTheirLoneResults() {
        try (Engine e = Engine.open(SharedData.model("stories260K-F32.gguf"), 2, "scalar")) {
            List<GenerationRequest> reqs = requests(e);
            BatchGenerator g = new BatchGenerator(e, 3);
            List<BatchGenerator.Handle> handles = new ArrayList<>();
            int steps = 0;
            for (GenerationRequest r : reqs) {
                handles.add(g.submit(new BatchGenerator.Request(e.newSequence(null, 0, 256), r, null, null)));
                g.step();
                g.step();
                steps += 2;
            }
            while (g.step()) steps++;
            int total = 0;
            for (int i = 0; i < reqs.size(); i++) {
                assertTrue(handles.get(i).done());
                assertSame(alone(e, reqs.get(i)), handles.get(i).result(), "request " + i);
                total += reqs.get(i).promptTokens().length + handles.get(i).result().tokens().length;
            }
            assertTrue(steps < total, "lock-step ran " + steps + " steps for " + total + " tokens");
            assertFalse(g.busy());
        }
    }

    @Test
    void cancelledRequestLeavesAtTheNextStepAndOthersAreUnaffected() {
        try (Engine e = Engine.open(SharedData.model("stories260K-F32.gguf"), 2, "panama")) {
            List<GenerationRequest> reqs = requests(e);
            AtomicInteger pieces = new AtomicInteger();
            GenerationRequest longOne = new GenerationRequest(reqs.get(0).promptTokens(), SamplerConfig.greedy(), 100, List.of(), true);
            List<GenerationResult> got = new BatchGenerator(e, 512).generateAll(List.of(
                    new BatchGenerator.Request(e.newSequence(null, 0, 256), longOne, s -> pieces.incrementAndGet(), () -> pieces.get() >= 5),
                    new BatchGenerator.Request(e.newSequence(null, 0, 256), reqs.get(2), null, null)));
            assertEquals(FinishReason.CANCELLED, got.get(0).finishReason());
            assertTrue(got.get(0).tokens().length >= 5 && got.get(0).tokens().length < 100, got.get(0).tokens().length + " tokens");
            assertSame(alone(e, reqs.get(2)), got.get(1), "the other request");
        }
    }
}
