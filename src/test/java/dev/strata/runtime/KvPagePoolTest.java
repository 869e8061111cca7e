package dev.strata.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.SharedData;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An engine's KV pages go from finished sequences to new ones: released pages are reused (the pool does not
 * grow), a recycled page's old contents never reach the output (pages poisoned with NaN give the same logits,
 * bit for bit, as fresh zeroed ones), dropped sequences hand theirs back when collected, and a released
 * sequence cannot take pages again.
 */
class KvPagePoolTest {
    private static final int[] PROMPT = {1, 403, 407, 376, 260, 261, 338, 400, 300, 42, 17, 99};

    /** Logits of every prompt token, then of 40 greedy steps, fed one by one across a page boundary. */
    private static float[] run(Engine e, Sequence seq) {
        List<float[]> all = new ArrayList<>();
        float[] logits = e.forward().forward(seq, PROMPT, true, new ForwardStats());
        all.add(logits);
        int vocab = e.model().config().vocabSize();
        for (int step = 0; step < KvCache.PAGE + 40; step++) {
            int best = 0;
            int last = logits.length - vocab;
            for (int i = 1; i < vocab; i++) if (logits[last + i] > logits[last + best]) best = i;
            logits = e.forward().forward(seq, new int[] {best}, false, new ForwardStats());
            all.add(logits);
        }
        int n = all.stream().mapToInt(a -> a.length).sum(), at = 0;
        float[] out = new float[n];
        for (float[] a : all) {
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }

    @Test
    void releasedPagesAreReusedAndTheirOldContentsNeverRead() {
        try (Engine e = Engine.open(SharedData.model("stories260K-F32.gguf"), 2, "auto")) {
            KvPagePool pool = e.kvPages();
            Sequence fresh = e.newSequence(null, 0, 512);
            float[] want = run(e, fresh);
            long made = pool.pages();
            assertEquals(2L * fresh.cache().slots() * 2, made, "two pages per slot, keys and values");
            fresh.release();
            assertEquals(made, pool.freePages());
            // poison every free page: F16 0xFFFF is NaN, which would spread through any read of a stale position
            List<MemorySegment> free = new ArrayList<>();
            for (int i = 0; i < made; i++) free.add(pool.take());
            for (MemorySegment p : free) p.fill((byte) 0xFF);
            free.forEach(pool::give);
            Sequence recycled = e.newSequence(null, 0, 512);
            assertArrayEquals(want, run(e, recycled), "logits over recycled, poisoned pages");
            assertEquals(made, pool.pages(), "no new pages while released ones were free");
            recycled.release();
            assertThrows(IllegalStateException.class, () -> recycled.cache().ensureCapacity(1));
        }
    }

    @Test
    void droppedSequencesHandTheirPagesBackWhenCollected() throws InterruptedException {
        try (Engine e = Engine.open(SharedData.model("stories260K-F32.gguf"), 1, "scalar")) {
            KvPagePool pool = e.kvPages();
            for (int i = 0; i < 4; i++) e.newSequence(null, 0, 512).cache().ensureCapacity(300);
            long made = pool.pages();
            assertTrue(made > 0);
            for (int i = 0; i < 100 && pool.freePages() < made; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertEquals(made, pool.freePages(), "every page back after collection");
        }
    }

    @Test
    void aPoolOfAnotherPageSizeIsRefused() {
        try (KvPagePool pool = new KvPagePool(1024)) {
            assertThrows(IllegalArgumentException.class, () -> new KvCache(2, 64, 512, pool));
            KvCache ok = new KvCache(2, 2, 512, pool); // 2 x 256 positions x 2 dims
            ok.ensureCapacity(257);
            assertEquals(2 * 2 * 2, pool.pages());
        }
    }
}
