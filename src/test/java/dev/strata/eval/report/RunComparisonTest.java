package dev.strata.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.eval.ledger.ItemCost;
import dev.strata.eval.ledger.Ledger;
import dev.strata.eval.ledger.LedgerEntry;
import dev.strata.eval.ledger.LedgerHeader;
import dev.strata.eval.ledger.LedgerHeader.VariantInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/** Two models' ledgers on the same 40 items: 20 at difficulty 2, 20 at difficulty 5 (ids d2/0..19, d5/0..19). */
class RunComparisonTest {
    static LedgerHeader header(String task, long seed, String... variants) {
        List<VariantInfo> infos = new ArrayList<>();
        for (String v : variants) infos.add(new VariantInfo(v, v + "-hash", null, 0, null, "full", 4, 1000, 4096));
        return new LedgerHeader(1, task, 40, "/m", "0".repeat(64), infos, "scalar", 1, seed, 0, 10, "unknown", "cpu", "now");
    }

    /** Items in a shuffled order, so pairing must go by id. {@code macs}: multiply-adds per item, over 10 tokens. */
    static Ledger.Contents ledger(LedgerHeader h, String variant, IntPredicate correct, long macs) {
        List<LedgerEntry> entries = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int d = i < 20 ? 2 : 5;
            entries.add(new LedgerEntry(variant, variant + "-hash", "g/d" + d + "/" + (i % 20), "g", d, "", correct.test(i), Map.of(), 6, 4,
                    new ItemCost(10, macs, 0, 0, 0, 4096, 1, 1, 0, ItemCost.ESTIMATED)));
        }
        Collections.shuffle(entries, new java.util.Random(variant.hashCode()));
        return new Ledger.Contents(h, entries, 0);
    }

    /**
     * Difficulty 2: the reference right on items 0-9, the other loses item 0 and wins 10-16 (b = 1, c = 7: exact
     * McNemar p = 18/256, Fagerland et al. 2013). Difficulty 5: the reference right on 20-34, the other on none of
     * them (b = 15, c = 0: p = 2/2^15). Holm over the two: 2/2^15 x 2 and 18/256 x 1.
     */
    @Test
    void pairsItemsByIdPerDifficultyRangeWithHolm() {
        var a = ledger(header("t", 1, "base"), "base", i -> i < 10 || (i >= 20 && i < 35), 1000);
        var b = ledger(header("t", 1, "base", "loop"), "loop", i -> (i >= 1 && i < 17), 2500);
        RunComparison c = RunComparison.of(List.of(new RunComparison.Source("plain", a, "base"), new RunComparison.Source("looped", b, "loop")),
                List.of(new int[] {1, 4}, new int[] {5, 6}), 3);
        assertEquals(2, c.arms().size());
        assertEquals(25, c.arms().get(0).correct());
        assertEquals(16, c.arms().get(1).correct());
        assertEquals(100.0, c.arms().get(0).multiplyAddsPerToken(), 1e-12);
        assertEquals(250.0, c.arms().get(1).multiplyAddsPerToken(), 1e-12);
        RunComparison.Row low = c.rows().get(0), high = c.rows().get(1);
        assertEquals(20, low.pairs());
        assertEquals(1, low.onlyReference());
        assertEquals(7, low.onlyOther());
        assertEquals(0.5, low.referenceAccuracy());
        assertEquals(0.8, low.otherAccuracy(), 1e-12);
        assertEquals(0.3, low.delta95().estimate(), 1e-12);
        assertEquals(18.0 / 256, low.mcnemarP(), 1e-15);
        assertEquals(18.0 / 256, low.holmP(), 1e-15);
        assertFalse(low.significant());
        assertEquals(15, high.onlyReference());
        assertEquals(0, high.onlyOther());
        assertEquals(-0.75, high.delta95().estimate(), 1e-12);
        assertTrue(high.delta95().high() < 0, "every resample loses items");
        assertEquals(2.0 / 32768, high.mcnemarP(), 1e-18);
        assertEquals(4.0 / 32768, high.holmP(), 1e-18);
        assertTrue(high.significant());
        String md = c.markdown();
        assertTrue(md.contains("| plain | looped | 5-6 | 20 | 15 | 0 | 75.0% | 0.0% |"), md);
    }

    @Test
    void refusesRunsThatScoredOtherItemsOrLackTheVariant() {
        var a = ledger(header("t", 1, "base"), "base", i -> true, 1);
        var otherTask = ledger(header("u", 1, "base"), "base", i -> true, 1);
        var otherSeed = ledger(header("t", 2, "base"), "base", i -> true, 1);
        List<int[]> all = List.<int[]>of(new int[] {1, 9});
        var e = assertThrows(StrataException.class, () -> RunComparison.of(List.of(new RunComparison.Source("a", a, "base"),
                new RunComparison.Source("b", otherTask, "base")), all, 1));
        assertTrue(e.getMessage().contains("scored other items"), e.getMessage());
        assertThrows(StrataException.class, () -> RunComparison.of(List.of(new RunComparison.Source("a", a, "base"),
                new RunComparison.Source("b", otherSeed, "base")), all, 1));
        e = assertThrows(StrataException.class, () -> RunComparison.of(List.of(new RunComparison.Source("a", a, "base"),
                new RunComparison.Source("b", a, "dup:1-2")), all, 1));
        assertTrue(e.getMessage().contains("no variant 'dup:1-2'"), e.getMessage());
    }
}
