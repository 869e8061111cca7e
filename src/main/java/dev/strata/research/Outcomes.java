package dev.strata.research;

import dev.strata.eval.EvalItem;
import dev.strata.eval.Variant;
import dev.strata.eval.ledger.Ledger;
import dev.strata.eval.ledger.LedgerEntry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A variant's paired outcomes on a list of items, read from the ledger, with its cost per token. */
record Outcomes(boolean[] correct, double multiplyAddsPerToken, double memoryMb) {

    /** Indexes the ledger once; {@link #of} then reads outcomes in the order of the items asked for. */
    static Map<String, LedgerEntry> index(Ledger ledger) {
        Map<String, LedgerEntry> m = new HashMap<>();
        for (LedgerEntry e : ledger.entries()) m.putIfAbsent(e.key(), e);
        return m;
    }

    static Outcomes of(Map<String, LedgerEntry> index, Variant v, List<EvalItem> items) {
        boolean[] c = new boolean[items.size()];
        long tokens = 0, macs = 0, bytes = 0;
        for (int i = 0; i < c.length; i++) {
            LedgerEntry e = index.get(v.hash() + " " + items.get(i).id());
            if (e == null) throw new IllegalStateException("the ledger lacks " + v.canonical() + " on " + items.get(i).id());
            c[i] = e.correct();
            tokens += e.cost().tokens();
            macs += e.cost().multiplyAdds();
            bytes += e.cost().weightBytes();
        }
        double perToken = Math.max(1, tokens);
        return new Outcomes(c, macs / perToken, bytes / perToken / 1e6);
    }

    double accuracy() {
        return DecisionRule.accuracy(correct);
    }
}
