package dev.strata.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.SharedData;
import dev.strata.gguf.GgufFile;
import dev.strata.runtime.Engine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Several sequences decoding at once (as server slots do) share a cache with fewer slots than
 * sequences: each must still get exactly its mapped-run logits, and no pin may leak.
 */
class StreamingConcurrencyTest {

    @Test
    void concurrentSequencesMatchTheirMappedRuns() throws Exception {
        Path file = SharedData.model("mixtral-tiny-random-F16.gguf");
        int sequences = 4;
        List<int[]> inputs = new ArrayList<>();
        List<List<float[]>> expected = new ArrayList<>();
        try (Engine mapped = Engine.open(file, 2, "auto")) {
            for (int s = 0; s < sequences; s++) {
                int[] t = StreamingExactnessTest.tokens(20, 1000, 100 + s);
                inputs.add(t);
                expected.add(StreamingExactnessTest.run(mapped, t, mapped.newSequence(null, 0, 64)));
            }
        }
        long budget;
        try (GgufFile f = GgufFile.open(file)) {
            budget = StreamingWeightStore.budgetForSlots(f, false, 3);
        }
        for (CachePolicy.Kind policy : CachePolicy.Kind.values()) {
            try (Engine engine = Engine.open(file, 2, "auto", new StreamingOptions(budget, policy, true, false, 3));
                 ExecutorService threads = Executors.newFixedThreadPool(sequences)) {
                List<Future<List<float[]>>> runs = new ArrayList<>();
                for (int s = 0; s < sequences; s++) {
                    int[] t = inputs.get(s);
                    runs.add(threads.submit(() -> StreamingExactnessTest.run(engine, t, engine.newSequence(null, 0, 64))));
                }
                for (int s = 0; s < sequences; s++) {
                    List<float[]> got = runs.get(s).get();
                    for (int i = 0; i < got.size(); i++) StreamingExactnessTest.assertBitExact(expected.get(s).get(i), got.get(i), policy + " sequence " + s + " forward " + i);
                }
                StreamingWeightStore store = (StreamingWeightStore) engine.model().store();
                assertEquals(0, store.pinned());
                assertTrue(store.stats().evictions() > 0);
            }
        }
    }
}
