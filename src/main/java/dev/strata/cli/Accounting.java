package dev.strata.cli;

import dev.strata.weights.StreamingWeightStore;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import java.util.Locale;

/** The accounting counters of a command's forward passes as one stderr line, so what ran is visible (and testable). */
final class Accounting {
    private Accounting() {}

    /** Expert bytes read from disk, demand reads and prefetches together, is the streaming store's own count (0 when mapped). */
    static String line(Engine engine, ForwardStats s, int planSteps) {
        long streamed = engine.model().store() instanceof StreamingWeightStore store ? store.stats().bytesRead() : 0;
        double tokens = Math.max(1, s.tokens);
        return String.format(Locale.ROOT, "strata: accounting: plan %d steps, %d tokens, %.0f multiply-adds/token, %.0f weight bytes/token,"
                + " %.3f experts selected/token, %d expert bytes read from disk", planSteps, s.tokens, s.multiplyAdds / tokens,
                s.weightBytes / tokens, s.expertsSelected / tokens, streamed);
    }
}
