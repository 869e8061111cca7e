package dev.strata.eval;

import java.util.List;
import java.util.Map;

/**
 * A task is data plus a scorer: a fixed, ordered list of items and a way to score one item with a
 * model under a variant. The runner, the ledger and the statistics know nothing else about it.
 */
public interface EvalTask {

    /** A stable name; it goes into the ledger and the report. */
    String name();

    /** Every item, in a deterministic order, with unique ids. */
    List<EvalItem> items();

    /**
     * Scores one item. Must depend only on the item, the variant behind {@code ctx} and
     * {@code ctx.seed()}, so a resumed or distributed run gives the same outcome.
     */
    ItemOutcome score(ItemContext ctx, EvalItem item);

    /**
     * Corpus-level metrics from per-item outcomes, e.g. accuracy, or bits per byte as a ratio of
     * sums. The default is the mean of each per-item metric over the items that report it.
     */
    default Map<String, Double> aggregate(List<ItemOutcome> outcomes) {
        return ItemOutcome.meanOfMetrics(outcomes);
    }
}
