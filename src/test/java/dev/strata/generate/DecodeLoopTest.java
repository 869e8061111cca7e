package dev.strata.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.SharedData;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.sample.SamplerConfig;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The server's decode loop: a caller gets what {@link Generator#generate} gives alone, its text in order; its
 * cancellation check runs on the caller's thread only (the decode thread must never run a socket probe), and a
 * check that turns true still ends the request early.
 */
class DecodeLoopTest {
    private static GenerationRequest greedy(Engine e, String prompt, int tokens) {
        return new GenerationRequest(e.tokenizer().encode(prompt, true, true), SamplerConfig.greedy(), tokens, List.of(), true);
    }

    @Test
    void textAndTokensEqualALoneRunAndTheCancelCheckRunsOnTheCallerOnly() {
        try (Engine e = Engine.open(SharedData.model("stories260K-Q8_0.gguf"), 1, "scalar");
             DecodeLoop loop = new DecodeLoop(e, 512)) {
            GenerationRequest req = greedy(e, "Once upon a time", 24);
            GenerationResult alone = Generator.generate(e, e.newSequence(null, 0, 256), req, s -> {}, () -> false, new ForwardStats());
            Set<String> checkedOn = ConcurrentHashMap.newKeySet();
            StringBuilder streamed = new StringBuilder();
            GenerationResult got = loop.generate(e.newSequence(null, 0, 256), req, streamed::append, () -> {
                checkedOn.add(Thread.currentThread().getName());
                return false;
            });
            assertArrayEquals(alone.tokens(), got.tokens());
            assertEquals(alone.text(), got.text());
            assertEquals(alone.text(), streamed.toString());
            assertEquals(FinishReason.LENGTH, got.finishReason());
            assertEquals(Set.of(Thread.currentThread().getName()), checkedOn, "the cancel check ran on " + checkedOn);
        }
    }

    @Test
    void aCheckThatTurnsTrueEndsTheRequestAtTheNextStep() {
        try (Engine e = Engine.open(SharedData.model("stories260K-Q8_0.gguf"), 1, "scalar");
             DecodeLoop loop = new DecodeLoop(e, 512)) {
            AtomicInteger pieces = new AtomicInteger();
            GenerationResult got = loop.generate(e.newSequence(null, 0, 4096), greedy(e, "Once", 4000), s -> pieces.incrementAndGet(),
                    () -> pieces.get() >= 3);
            assertEquals(FinishReason.CANCELLED, got.finishReason());
            assertTrue(got.tokens().length < 4000, got.tokens().length + " tokens");
            assertFalse(loop.lastFailure() != null, "a decode step failed");
        }
    }

    /**
     * With interval 0 (the server's streams) the check is asked once before waiting and once per piece, never on a
     * timer: the decode thread is held 200 ms (ten default intervals) inside the first step by a routing listener,
     * and the count stays at pieces + 1, where the timed wait asks about ten more times. A check that turns true
     * after a piece still ends the request.
     */
    @Test
    void intervalZeroAsksOncePerPieceAndStillCancels() {
        try (Engine e = Engine.open(SharedData.model("qwen2moe-tiny-random.gguf"), 1, "scalar");
             DecodeLoop loop = new DecodeLoop(e, 512)) {
            for (long interval : new long[] {DecodeLoop.CANCEL_CHECK_MILLIS, 0}) {
                AtomicInteger pieces = new AtomicInteger(), checks = new AtomicInteger(), routed = new AtomicInteger();
                var seq = e.newSequence(null, 0, 256).routingListener((layer, position, logits, chosen) -> {
                    if (routed.getAndIncrement() == 0) sleep(200);
                });
                GenerationResult done = loop.generate(seq, greedy(e, "Once upon a time", 8), s -> pieces.incrementAndGet(), () -> {
                    checks.incrementAndGet();
                    return false;
                }, interval);
                assertEquals(FinishReason.LENGTH, done.finishReason());
                if (interval == 0) assertTrue(checks.get() <= pieces.get() + 1, checks.get() + " checks for " + pieces.get() + " pieces");
                else assertTrue(checks.get() >= pieces.get() + 5, "the timed wait asked " + checks.get() + " times for " + pieces.get());
            }
            AtomicInteger seen = new AtomicInteger();
            GenerationResult cancelled = loop.generate(e.newSequence(null, 0, 4096), greedy(e, "Once", 4000), s -> seen.incrementAndGet(),
                    () -> seen.get() >= 3, 0);
            assertEquals(FinishReason.CANCELLED, cancelled.finishReason());
            assertTrue(cancelled.tokens().length < 4000, cancelled.tokens().length + " tokens");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
