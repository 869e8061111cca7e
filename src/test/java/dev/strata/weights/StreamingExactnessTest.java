package dev.strata.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.SharedData;
import dev.strata.gguf.GgufFile;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Streaming must not change a single bit: the logits of a batched prompt and of single-token
 * decode steps under a cache of two experts (so nearly every use evicts) equal those of the fully
 * mapped model, for both policies, with and without prefetch, on the standard and packed layouts.
 */
class StreamingExactnessTest {
    static final int SLOTS = 2;

    @TempDir
    static Path tmp;

    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        for (String model : new String[] {"mixtral-tiny-random-F16", "mixtral-tiny-random-Q4_K_M", "qwen2moe-tiny-random"}) {
            for (boolean packed : new boolean[] {false, true}) {
                for (CachePolicy.Kind policy : CachePolicy.Kind.values()) a.add(Arguments.of(model, packed, policy, true));
            }
            a.add(Arguments.of(model, false, CachePolicy.Kind.LRU, false));
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} packed={1} {2} prefetch={3}")
    @MethodSource("cases")
    void logitsAreBitExactUnderATinyBudget(String model, boolean packed, CachePolicy.Kind policy, boolean prefetch) {
        Path original = SharedData.model(model + ".gguf");
        Path file = original;
        if (packed) {
            file = tmp.resolve(model + ".packed.gguf");
            if (!file.toFile().exists()) ExpertRepacker.repack(original, file);
        }
        long budget;
        try (GgufFile f = GgufFile.open(file)) {
            budget = StreamingWeightStore.budgetForSlots(f, false, SLOTS);
        }
        int[] tokens = tokens(24, 1000, 7);
        List<float[]> expected = run(Engine.open(original, 2, "auto"), tokens);
        StreamingOptions options = new StreamingOptions(budget, policy, prefetch, false, 2);
        try (Engine engine = Engine.open(file, 2, "auto", options)) {
            StreamingWeightStore store = (StreamingWeightStore) engine.model().store();
            assertEquals(SLOTS, store.cacheSlots());
            assertTrue(store.residentWeightBytes() + store.cacheBytes() <= budget, "weights stay within the budget");
            List<float[]> actual = run(engine, tokens, engine.newSequence(null, 0, 64));
            for (int i = 0; i < expected.size(); i++) assertBitExact(expected.get(i), actual.get(i), "forward " + i);
            StreamingStats.Snapshot s = store.stats();
            assertTrue(s.evictions() > 0, "the budget forces evictions");
            assertTrue(s.totalMisses() > 0, "misses " + s.totalMisses());
            if (prefetch) assertTrue(s.prefetchIssued() > 0, "prefetch issued");
            assertEquals(0, store.pinned(), "no expert stays pinned");
        }
    }

    /** O_DIRECT reads widened to 4096-byte boundaries (unaligned stacked experts) give the same bits. */
    @ParameterizedTest(name = "{0} direct I/O")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"mixtral-tiny-random-Q4_K_M", "qwen2moe-tiny-random"})
    void directIoIsBitExact(String model) {
        Path file = SharedData.model(model + ".gguf");
        long budget;
        try (GgufFile f = GgufFile.open(file)) {
            budget = StreamingWeightStore.budgetForSlots(f, true, SLOTS);
        }
        int[] tokens = tokens(24, 1000, 11);
        List<float[]> expected = run(Engine.open(file, 2, "auto"), tokens);
        try (Engine engine = Engine.open(file, 2, "auto", new StreamingOptions(budget, CachePolicy.Kind.LRU, true, true, 2))) {
            List<float[]> actual = run(engine, tokens, engine.newSequence(null, 0, 64));
            for (int i = 0; i < expected.size(); i++) assertBitExact(expected.get(i), actual.get(i), "forward " + i);
            assertTrue(((StreamingWeightStore) engine.model().store()).stats().evictions() > 0);
        }
    }

    /** An 8-token prompt in one batch, then 16 single-token steps; the logits of each forward. */
    static List<float[]> run(Engine engine, int[] tokens) {
        try (engine) {
            return run(engine, tokens, engine.newSequence(null, 0, 64));
        }
    }

    static List<float[]> run(Engine engine, int[] tokens, Sequence seq) {
        List<float[]> out = new ArrayList<>();
        out.add(engine.forward().forward(seq, java.util.Arrays.copyOf(tokens, 8), true, new ForwardStats()));
        for (int i = 8; i < tokens.length; i++) out.add(engine.forward().forward(seq, new int[] {tokens[i]}, false, new ForwardStats()));
        return out;
    }

    static int[] tokens(int n, int vocab, long seed) {
        Random r = new Random(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = 1 + r.nextInt(vocab - 1);
        return t;
    }

    static void assertBitExact(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + ": logit " + i + " is " + actual[i] + ", mapped run has " + expected[i]);
            }
        }
    }
}
