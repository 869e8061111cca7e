package dev.strata.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.eval.ledger.ItemCost;
import dev.strata.eval.ledger.Ledger;
import dev.strata.eval.ledger.LedgerEntry;
import dev.strata.eval.ledger.LedgerHeader;
import dev.strata.eval.ledger.LedgerHeader.VariantInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTest {
    private static final int N = 40;

    private static VariantInfo info(String name) {
        return new VariantInfo(name, name + "-hash", null, 0, null, "full", 4, 1000, 4096);
    }

    private static LedgerEntry entry(String variant, int item, boolean correct) {
        return new LedgerEntry(variant, variant + "-hash", "i" + item, "g", 1 + item % 2, "", correct, Map.of(), 3, 2,
                new ItemCost(5, 1000, 3000, 0, 0, 4096, 2_000_000, 1_000_000, 0.01, ItemCost.ESTIMATED));
    }

    /**
     * base right on items 0-19; "better" adds 7 right answers and loses 1 (b = 1, c = 7: exact McNemar
     * p = 18/256 = 0.0703125, Fagerland et al. 2013); "worse" loses 15 (b = 15, c = 0: p = 2/2^15).
     * Holm over {0.0703125, 6.1035e-5}: the smaller times 2, the larger times 1.
     */
    @Test
    void pairedComparisonsFromTheLedger() {
        List<LedgerEntry> entries = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            entries.add(entry("base", i, i < 20));
            entries.add(entry("better", i, (i < 20 && i != 0) || (i >= 20 && i < 27)));
            entries.add(entry("worse", i, i >= 15 && i < 20));
        }
        var header = new LedgerHeader(1, "t", N, "/m", "0".repeat(64), List.of(info("base"), info("better"), info("worse")), "scalar", 1, 7, 0,
                10, "unknown", "cpu", "now");
        Summary s = Summary.of(new Ledger.Contents(header, entries, 0));
        assertTrue(s.complete());
        VariantSummary base = s.variants().get(0), better = s.variants().get(1), worse = s.variants().get(2);
        assertNull(base.comparison());
        assertEquals(20, base.correct());
        assertEquals(0.5, base.accuracy());
        assertEquals(26, better.correct());
        assertEquals(1, better.comparison().onlyFirstRight());
        assertEquals(7, better.comparison().onlySecondRight());
        assertEquals(0.0703125, better.comparison().mcnemarP(), 1e-15);
        assertEquals(0.0703125, better.comparison().holmP(), 1e-15);
        assertFalse(better.comparison().significant(), "p = 0.07 is not significant, whatever the bootstrap says");
        assertEquals(6.0 / N, better.comparison().delta95().estimate(), 1e-12);
        assertEquals(2.0 / 32768, worse.comparison().mcnemarP(), 1e-15);
        assertEquals(4.0 / 32768, worse.comparison().holmP(), 1e-15);
        assertTrue(worse.comparison().significant());
        assertTrue(worse.comparison().delta95().high() < 0);
        assertEquals(200, base.multiplyAddsPerToken(), 1e-12);
        assertEquals(600, base.weightBytesPerToken(), 1e-12);
        assertEquals(5 / 0.002, base.tokensPerSecond(), 1e-9);
        assertEquals(0.002, base.joulesPerToken(), 1e-12);
        assertEquals(10, base.byDifficulty().get(1).correct());
        assertTrue(MarkdownReport.render(s).contains("| worse | 40 | 12.5% |"), MarkdownReport.render(s));
    }

    @Test
    void paretoFrontierKeepsOnlyUnbeatenVariants() {
        VariantSummary cheapBad = row("a", 0.2, 1), midGood = row("b", 0.6, 2), dearWorse = row("c", 0.5, 3), dearBest = row("d", 0.7, 4);
        assertEquals(List.of("a", "b", "d"), Plots.pareto(List.of(dearWorse, dearBest, midGood, cheapBad), VariantSummary::multiplyAddsPerToken)
                .stream().map(VariantSummary::variant).toList());
    }

    private static VariantSummary row(String name, double acc, double cost) {
        return new VariantSummary(name, name, 10, (int) (acc * 10), acc, null, null, 0, 0, cost, 0, 0, 0, 0, 0, 0, 0, "estimated", Map.of());
    }
}
