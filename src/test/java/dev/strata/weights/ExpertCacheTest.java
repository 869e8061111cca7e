package dev.strata.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.SharedData;
import dev.strata.StrataException;
import dev.strata.gguf.GgufFile;
import dev.strata.model.ExpertWeights;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The cache against the mapped file and against hand-counted access patterns. */
class ExpertCacheTest {
    static final Path FILE = SharedData.model("mixtral-tiny-random-F16.gguf");

    @Test
    void streamedExpertsHoldTheMappedBytes() {
        try (GgufFile f = GgufFile.open(FILE); var mapped = new MappedWeightStore(GgufFile.open(FILE));
             var store = new StreamingWeightStore(GgufFile.open(FILE), new StreamingOptions(StreamingWeightStore.budgetForSlots(f, false, 1),
                     CachePolicy.Kind.LRU, false, false, 1))) {
            for (int l = 0; l < 2; l++) {
                for (int e = 0; e < 8; e++) {
                    try (ExpertWeights m = mapped.acquireExpert(l, e); ExpertWeights s = store.acquireExpert(l, e)) {
                        assertEquals(-1L, m.gate().data().mismatch(s.gate().data()));
                        assertEquals(-1L, m.up().data().mismatch(s.up().data()));
                        assertEquals(-1L, m.down().data().mismatch(s.down().data()));
                        assertEquals(m.down().name(), s.down().name());
                    }
                }
            }
            StreamingStats.Snapshot st = store.stats();
            assertEquals(16, st.totalMisses());
            assertEquals(16, st.expertsTouched());
            assertEquals(15, st.evictions(), "one slot: every new expert evicts the previous one");
        }
    }

    /**
     * Two slots; each round uses a hot expert twice, then two experts never seen before. LRU evicts
     * the hot expert on every round; LFU keeps it, so from round 2 on each of its uses hits.
     */
    @Test
    void lfuKeepsAHotExpertThroughScansThatFlushLru() {
        int rounds = 7;
        assertEquals(rounds, hotHits(CachePolicy.Kind.LRU, rounds), "LRU: only the second use of each round hits");
        assertEquals(2 * rounds - 1, hotHits(CachePolicy.Kind.LFU, rounds), "LFU: every use after the first hits");
    }

    private static long hotHits(CachePolicy.Kind policy, int rounds) {
        try (GgufFile f = GgufFile.open(FILE);
             var store = new StreamingWeightStore(GgufFile.open(FILE), new StreamingOptions(StreamingWeightStore.budgetForSlots(f, false, 2), policy, false, false, 1))) {
            long hot = 0;
            int next = 1;
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < 2; i++) try (ExpertWeights w = store.acquireExpert(0, 0)) { if (w.hit()) hot++; }
                for (int i = 0; i < 2; i++, next++) try (ExpertWeights w = store.acquireExpert(next / 8, next % 8)) { assertTrue(!w.hit()); }
            }
            return hot;
        }
    }

    @Test
    void budgetBelowTheResidentWeightsIsAOneLineError() {
        try (GgufFile f = GgufFile.open(FILE)) {
            long tooSmall = StreamingWeightStore.budgetForSlots(f, false, 1) - 1;
            StrataException e = assertThrows(StrataException.class,
                    () -> new StreamingWeightStore(GgufFile.open(FILE), new StreamingOptions(tooSmall, CachePolicy.Kind.LRU, false, false, 1)));
            assertTrue(e.getMessage().contains("too small"), e.getMessage());
        }
    }

    @Test
    void sizesParseWithBinaryUnits() {
        assertEquals(2L << 30, StreamingOptions.parseSize("2G"));
        assertEquals(512L << 20, StreamingOptions.parseSize("512M"));
        assertEquals(512L << 20, StreamingOptions.parseSize("512MiB"));
        assertEquals(3L << 29, StreamingOptions.parseSize("1.5g"));
        assertEquals(1000, StreamingOptions.parseSize("1000"));
        assertThrows(StrataException.class, () -> StreamingOptions.parseSize("two gigs"));
        assertThrows(StrataException.class, () -> StreamingOptions.parseSize("-1G"));
    }
}
