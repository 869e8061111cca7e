package dev.strata.research;

import dev.strata.eval.stats.McNemar;
import dev.strata.eval.stats.MultipleComparisons;
import dev.strata.eval.stats.PairedBootstrap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The keep rule, in code: a finalist is kept only when the exact two-sided McNemar test of its
 * held-out outcomes against the baseline's (same items), adjusted over all finalists by Holm
 * (default) or Benjamini–Hochberg, is at most alpha, and the variant wins more of the discordant
 * pairs than it loses. Requiring the direction makes the test one-sided at alpha / 2 per finalist.
 */
public final class DecisionRule {
    public enum Correction { HOLM, BH }

    /** A finalist's paired outcomes and cost. */
    public record Finalist(String variant, boolean[] outcomes, double multiplyAddsPerToken, double memoryMb) {}

    private final Correction correction;
    private final double alpha;
    private final long seed;

    public DecisionRule(Correction correction, double alpha, long seed) {
        if (!(alpha > 0 && alpha < 1)) throw new dev.strata.StrataException("--alpha must be between 0 and 1, got " + alpha);
        this.correction = correction;
        this.alpha = alpha;
        this.seed = seed;
    }

    public List<Decision> decide(boolean[] baseline, List<Finalist> finalists) {
        int m = finalists.size();
        double[] p = new double[m];
        long[][] bc = new long[m][];
        for (int i = 0; i < m; i++) {
            bc[i] = McNemar.discordant(baseline, finalists.get(i).outcomes());
            p[i] = McNemar.exactP(bc[i][0], bc[i][1]);
        }
        double[] adjusted = m == 0 ? p : correction == Correction.HOLM ? MultipleComparisons.holm(p) : MultipleComparisons.benjaminiHochberg(p);
        List<Decision> out = new ArrayList<>();
        double baseAcc = accuracy(baseline);
        for (int i = 0; i < m; i++) {
            Finalist f = finalists.get(i);
            var delta = PairedBootstrap.accuracyDifference(baseline, f.outcomes(), seed + i);
            long losses = bc[i][0], wins = bc[i][1];
            boolean keep = adjusted[i] <= alpha && wins > losses;
            String why = String.format(Locale.ROOT, "%s: held-out n=%d, %d wins / %d losses vs baseline, Δ %+.1f pp [%+.1f, %+.1f], p=%.3g, %s p=%.3g %s %.3g%s",
                    keep ? "kept" : "discarded", baseline.length, wins, losses, 100 * delta.estimate(), 100 * delta.low(), 100 * delta.high(), p[i],
                    correction == Correction.HOLM ? "Holm" : "BH", adjusted[i], adjusted[i] <= alpha ? "<=" : ">", alpha,
                    keep ? "" : adjusted[i] <= alpha ? " but worse than the baseline" : " (not significant)");
            out.add(new Decision(f.variant(), Decision.Stages.HELD_OUT, keep ? Decision.KEEP : Decision.DISCARD, baseline.length,
                    accuracy(f.outcomes()), baseAcc, delta, p[i], adjusted[i], f.multiplyAddsPerToken(), f.memoryMb(), why));
        }
        return out;
    }

    public Correction correction() {
        return correction;
    }

    public double alpha() {
        return alpha;
    }

    static double accuracy(boolean[] outcomes) {
        int k = 0;
        for (boolean b : outcomes) if (b) k++;
        return outcomes.length == 0 ? Double.NaN : k / (double) outcomes.length;
    }
}
