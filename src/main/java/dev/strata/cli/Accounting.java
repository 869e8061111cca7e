package dev.strata.cli;

import dev.strata.runtime.ForwardStats;
import java.util.Locale;

/** The accounting counters of a command's forward passes as one stderr line, so what ran is visible (and testable). */
final class Accounting {
    private Accounting() {}

    static String line(ForwardStats s, int planSteps) {
        double tokens = Math.max(1, s.tokens);
        return String.format(Locale.ROOT, "strata: accounting: plan %d steps, %d tokens, %.0f multiply-adds/token, %.0f weight bytes/token,"
                + " %.3f experts selected/token, %d expert bytes read from disk", planSteps, s.tokens, s.multiplyAdds / tokens,
                s.weightBytes / tokens, s.expertsSelected / tokens, s.expertBytesRead);
    }
}
