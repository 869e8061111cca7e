package dev.strata.research;

import dev.strata.eval.EvalItem;
import dev.strata.eval.Variant;
import dev.strata.eval.ledger.Ledger;
import dev.strata.eval.ledger.LedgerHeader;
import dev.strata.eval.ledger.LedgerHeader.VariantInfo;
import java.util.List;

/**
 * Where trials run: scores (variant, item) pairs the ledger lacks and appends them to it. The
 * research loop only talks to this, so it runs the same decision code on one engine, on a cluster
 * or on synthetic outcomes in tests.
 */
public interface Trials {
    /** The task's name; it goes into the run's name in the ledger header. */
    String taskName();

    /** The task's items, in a deterministic order with unique ids. */
    List<EvalItem> items();

    /** The variant's plan on this model; throws {@link dev.strata.StrataException} when it cannot run (a crash row). */
    VariantInfo describe(Variant v);

    /** The ledger header for a run named {@code run} over {@code items} items and these variants. */
    LedgerHeader header(String run, int items, List<VariantInfo> variants);

    /** Scores every (variant, item) pair not yet in the ledger and appends it there. */
    void score(List<Variant> variants, List<EvalItem> items, Ledger ledger);

    /** The model's layer count, expert count and experts used per token, for the search space. */
    int[] shape();
}
