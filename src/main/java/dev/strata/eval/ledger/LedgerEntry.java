package dev.strata.eval.ledger;

import java.util.Map;

/** One ledger line: what one variant did on one item. (variant hash, item) is the key that makes resuming exactly-once. */
public record LedgerEntry(String variant, String variantHash, String item, String group, int difficulty, String prediction,
        boolean correct, Map<String, Double> metrics, int promptTokens, int generatedTokens, ItemCost cost) {

    public LedgerEntry {
        metrics = Map.copyOf(metrics);
    }

    public String key() {
        return variantHash + " " + item;
    }
}
