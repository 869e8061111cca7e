package dev.strata.eval.report;

import dev.strata.eval.ledger.ItemCost;
import dev.strata.eval.ledger.Ledger;
import dev.strata.eval.ledger.LedgerEntry;
import dev.strata.eval.ledger.LedgerHeader;
import dev.strata.eval.ledger.LedgerHeader.VariantInfo;
import dev.strata.eval.stats.McNemar;
import dev.strata.eval.stats.MultipleComparisons;
import dev.strata.eval.stats.PairedBootstrap;
import dev.strata.eval.stats.Wilson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The run's results, computed from the ledger alone: per variant n, accuracy and Wilson interval,
 * paired comparisons with the first variant (exact McNemar, Holm across the comparisons, seeded
 * paired bootstrap of Δaccuracy) and the measured cost per token.
 */
public record Summary(LedgerHeader header, int expectedItems, List<VariantSummary> variants) {
    public static final double ALPHA = 0.05;

    public boolean complete() {
        return variants.stream().allMatch(v -> v.n() == expectedItems);
    }

    public static Summary of(Ledger.Contents ledger) {
        LedgerHeader h = ledger.header();
        Map<String, Map<String, LedgerEntry>> byVariant = new LinkedHashMap<>();
        for (VariantInfo v : h.variants()) byVariant.put(v.hash(), new LinkedHashMap<>());
        for (LedgerEntry e : ledger.entries()) {
            Map<String, LedgerEntry> m = byVariant.get(e.variantHash());
            if (m != null) m.putIfAbsent(e.item(), e);
        }
        List<VariantInfo> infos = h.variants();
        Map<String, LedgerEntry> first = byVariant.get(infos.get(0).hash());
        List<Pairing> pairings = new ArrayList<>();
        for (int i = 1; i < infos.size(); i++) pairings.add(Pairing.of(first, byVariant.get(infos.get(i).hash()), h.seed() + i));
        double[] holm = MultipleComparisons.holm(pairings.stream().mapToDouble(Pairing::mcnemarP).toArray());
        List<VariantSummary> rows = new ArrayList<>();
        for (int i = 0; i < infos.size(); i++) {
            VariantSummary.Comparison cmp = null;
            if (i > 0) {
                Pairing p = pairings.get(i - 1);
                cmp = new VariantSummary.Comparison(infos.get(0).name(), p.pairs(), p.onlyFirst(), p.onlySecond(), p.delta(), p.mcnemarP(),
                        holm[i - 1], holm[i - 1] <= ALPHA);
            }
            rows.add(row(infos.get(i), new ArrayList<>(byVariant.get(infos.get(i).hash()).values()), cmp));
        }
        return new Summary(h, h.items(), rows);
    }

    /** One variant against the first, on the items both have in the ledger. */
    private record Pairing(int pairs, long onlyFirst, long onlySecond, double mcnemarP, PairedBootstrap.Interval delta) {
        static Pairing of(Map<String, LedgerEntry> first, Map<String, LedgerEntry> second, long seed) {
            List<String> common = first.keySet().stream().filter(second::containsKey).toList();
            boolean[] a = new boolean[common.size()], b = new boolean[common.size()];
            for (int j = 0; j < a.length; j++) {
                a[j] = first.get(common.get(j)).correct();
                b[j] = second.get(common.get(j)).correct();
            }
            long[] bc = McNemar.discordant(a, b);
            return new Pairing(a.length, bc[0], bc[1], McNemar.exactP(bc[0], bc[1]), PairedBootstrap.accuracyDifference(a, b, seed));
        }
    }

    private static VariantSummary row(VariantInfo info, List<LedgerEntry> entries, VariantSummary.Comparison cmp) {
        int n = entries.size(), correct = 0;
        long tokens = 0, macs = 0, bytes = 0, prompt = 0, generated = 0, wall = 0, forward = 0, decodeTokens = 0, decodeNanos = 0;
        double joules = 0;
        String energy = ItemCost.ESTIMATED;
        Map<Integer, int[]> byD = new TreeMap<>();
        for (LedgerEntry e : entries) {
            if (e.correct()) correct++;
            ItemCost c = e.cost();
            tokens += c.tokens();
            macs += c.multiplyAdds();
            bytes += c.weightBytes();
            wall += c.wallNanos();
            forward += c.forwardNanos();
            decodeTokens += c.decodeTokens();
            decodeNanos += c.decodeNanos();
            joules += c.joules();
            energy = c.energy();
            prompt += e.promptTokens();
            generated += e.generatedTokens();
            int[] cell = byD.computeIfAbsent(e.difficulty(), d -> new int[2]);
            cell[0]++;
            if (e.correct()) cell[1]++;
        }
        Map<Integer, VariantSummary.Cell> cells = new TreeMap<>();
        byD.forEach((d, c) -> cells.put(d, new VariantSummary.Cell(c[0], c[1], c[1] / (double) c[0], Wilson.interval95(c[1], c[0]))));
        double perToken = Math.max(1, tokens);
        return new VariantSummary(info.name(), info.hash(), n, correct, n == 0 ? Double.NaN : correct / (double) n, Wilson.interval95(correct, n),
                cmp, info.activeParameters(), info.planSteps(), macs / perToken, bytes / perToken, info.kvBytesPerToken(), prompt, generated,
                wall / 1e9, wall == 0 ? 0 : tokens / (wall / 1e9), joules / perToken, energy, cells,
                perSecond(tokens - decodeTokens, forward - decodeNanos), perSecond(decodeTokens, decodeNanos));
    }

    private static double perSecond(long tokens, long nanos) {
        return nanos <= 0 ? 0 : tokens * 1e9 / nanos;
    }
}
