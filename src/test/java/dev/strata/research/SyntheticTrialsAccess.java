package dev.strata.research;

import dev.strata.eval.EvalItem;
import dev.strata.eval.Variant;
import dev.strata.eval.ledger.LedgerEntry;
import java.nio.file.Path;
import java.util.Map;

/** Opens the synthetic trials to tests in sub-packages: 8 null candidates and one 20 points better. */
public final class SyntheticTrialsAccess {
    private SyntheticTrialsAccess() {}

    public static Trials trials(int n, long seed) {
        return new SyntheticTrials(n, (v, it) -> {
            double q = 0.3 + 0.5 * SyntheticTrials.uniform(seed, "difficulty", it.id());
            if (v.canonical().startsWith("better")) q += 0.2;
            return SyntheticTrials.uniform(seed, v.canonical(), it.id()) < q;
        }, Map.of());
    }

    public static LedgerEntry entry(Trials trials, Variant v, EvalItem item) {
        return ((SyntheticTrials) trials).entry(v, item);
    }

    public static ResearchLoop.Settings settings(long seed, Path out) {
        return ResearchLoopFixtures.settings(ResearchLoopFixtures.variants("t:1", "t:2", "t:3", "t:4", "t:5", "t:6", "t:7", "t:8", "better:1"), seed,
                out, false);
    }
}
