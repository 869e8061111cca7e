package dev.strata.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.SharedData;
import dev.strata.eval.ledger.ItemCost;
import dev.strata.eval.ledger.Ledger;
import dev.strata.eval.ledger.LedgerEntry;
import dev.strata.eval.ledger.LedgerHeader;
import dev.strata.generate.GenerationRequest;
import dev.strata.generate.Generator;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.sample.SamplerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Prompt processing and decode steps are counted apart, and the report's two speeds are ratios of those sums. */
class PromptDecodeSplitTest {

    @Test
    void aGenerationIsOnePromptPassThenOneTokenPerDecodeStep() {
        try (Engine engine = Engine.open(SharedData.model("stories260K-F32.gguf"), 1, "scalar")) {
            ForwardStats stats = new ForwardStats();
            int[] prompt = engine.tokenizer().encode("Once upon a time", true, true);
            var r = Generator.generate(engine, engine.newSequence(null, 0, 64),
                    new GenerationRequest(prompt, SamplerConfig.greedy(), 8, List.of(), true), s -> {}, () -> false, stats);
            assertEquals(8, r.tokens().length);
            assertEquals(prompt.length + 7, stats.tokens, "the last sampled token is never fed back");
            assertEquals(7, stats.decodeTokens);
            assertTrue(stats.decodeNanos > 0 && stats.decodeNanos < stats.nanos);
        }
    }

    @Test
    void theReportDividesSumsOverItems() {
        // two items: 10 prompt tokens in 2 ms + 4 decode tokens in 4 ms, and 30 + 6 in 4 ms + 6 ms
        List<LedgerEntry> entries = new ArrayList<>();
        entries.add(new LedgerEntry("base", "base-hash", "a", "g", 1, "", true, Map.of(), 10, 5,
                new ItemCost(14, 0, 0, 0, 0, 0, 7_000_000, 6_000_000, 0, ItemCost.ESTIMATED, 6_000_000, 4, 4_000_000)));
        entries.add(new LedgerEntry("base", "base-hash", "b", "g", 1, "", false, Map.of(), 30, 7,
                new ItemCost(36, 0, 0, 0, 0, 0, 11_000_000, 10_000_000, 0, ItemCost.ESTIMATED, 10_000_000, 6, 6_000_000)));
        var header = new LedgerHeader(1, "t", 2, "/m", "0".repeat(64), List.of(new LedgerHeader.VariantInfo("base", "base-hash", null, 0, null, "full", 4, 1000, 4096)),
                "scalar", 1, 7, 0, 10, "unknown", "cpu", "now");
        VariantSummary v = Summary.of(new Ledger.Contents(header, entries, 0)).variants().getFirst();
        assertEquals(40 / 0.006, v.promptTokensPerSecond(), 1e-6);
        assertEquals(10 / 0.010, v.generationTokensPerSecond(), 1e-6);
    }
}
