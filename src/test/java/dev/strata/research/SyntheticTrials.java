package dev.strata.research;

import dev.strata.StrataException;
import dev.strata.eval.EvalItem;
import dev.strata.eval.Variant;
import dev.strata.eval.ledger.ItemCost;
import dev.strata.eval.ledger.Ledger;
import dev.strata.eval.ledger.LedgerEntry;
import dev.strata.eval.ledger.LedgerHeader;
import dev.strata.eval.ledger.LedgerHeader.VariantInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Trials whose per-item outcomes come from a function of (variant, item) instead of a model, so
 * the research loop's decision code runs thousands of times in seconds. Every scored pair is
 * recorded, so tests can check what the search read.
 */
final class SyntheticTrials implements Trials {
    final List<EvalItem> items;
    final BiPredicate<Variant, EvalItem> outcome;
    final Map<String, Long> multiplyAdds;
    final List<List<String>> calls = new ArrayList<>();
    int scored;

    SyntheticTrials(int n, BiPredicate<Variant, EvalItem> outcome, Map<String, Long> multiplyAdds) {
        List<EvalItem> list = new ArrayList<>();
        for (int i = 0; i < n; i++) list.add(new EvalItem("item-" + i, "g" + (i % 5), 1 + i % 4, null));
        this.items = List.copyOf(list);
        this.outcome = outcome;
        this.multiplyAdds = multiplyAdds;
    }

    @Override
    public String taskName() {
        return "synthetic/" + items.size();
    }

    @Override
    public List<EvalItem> items() {
        return items;
    }

    @Override
    public VariantInfo describe(Variant v) {
        if (v.canonical().contains("crash")) throw new StrataException("variant " + v.canonical() + " cannot run");
        return new VariantInfo(v.canonical(), v.hash(), v.layers(), v.expertsPerToken(), null, v.attention(), 4, macs(v), 0);
    }

    private long macs(Variant v) {
        return multiplyAdds.getOrDefault(v.canonical(), 1000L);
    }

    @Override
    public LedgerHeader header(String run, int n, List<VariantInfo> variants) {
        return new LedgerHeader(LedgerHeader.VERSION, run, n, "synthetic", "0".repeat(64), variants, "none", 1, 0, 0, 1, "test", "test", "now");
    }

    @Override
    public void score(List<Variant> variants, List<EvalItem> chosen, Ledger ledger) {
        calls.add(chosen.stream().map(EvalItem::id).toList());
        List<LedgerEntry> batch = new ArrayList<>();
        for (Variant v : variants) {
            for (EvalItem it : chosen) {
                if (ledger.has(v.hash(), it.id())) continue;
                scored++;
                batch.add(entry(v, it));
            }
        }
        ledger.append(batch);
    }

    LedgerEntry entry(Variant v, EvalItem it) {
        boolean ok = outcome.test(v, it);
        ItemCost cost = new ItemCost(10, 10 * macs(v), 10_000, 0, 0, 0, 0, 0, 0, ItemCost.ESTIMATED);
        return new LedgerEntry(v.canonical(), v.hash(), it.id(), it.group(), it.difficulty(), ok ? "y" : "n", ok, Map.of(), 5, 5, cost);
    }

    @Override
    public int[] shape() {
        return new int[] {4, 0, 0};
    }

    /** A uniform number in [0, 1) from (seed, variant, item): the synthetic model's randomness, reproducible. */
    static double uniform(long seed, String variant, String item) {
        return SealedSplit.unit(seed, variant, item);
    }
}
