package dev.strata.eval.report;

import dev.strata.StrataException;
import dev.strata.eval.ledger.ItemCost;
import dev.strata.eval.ledger.Ledger;
import dev.strata.eval.ledger.LedgerEntry;
import dev.strata.eval.ledger.LedgerHeader;
import dev.strata.eval.stats.McNemar;
import dev.strata.eval.stats.MultipleComparisons;
import dev.strata.eval.stats.PairedBootstrap;
import dev.strata.eval.stats.Wilson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Paired comparisons across eval runs: the same items scored by different models (or variants of
 * them), each run with its own ledger. Items pair by id, which names the same problem only when the
 * runs drew the same items, so the runs' tasks and seeds must agree. Every arm is compared with the
 * first on each difficulty range: exact McNemar, seeded paired bootstrap of Δaccuracy, and Holm's
 * correction over all the comparisons of the report.
 */
public record RunComparison(String task, List<Arm> arms, List<Row> rows) {

    /** One run's variant: {@code label} names it in the report. */
    public record Source(String label, Ledger.Contents ledger, String variant) {}

    /** An arm over all its items: accuracy with its Wilson interval and multiply-adds per token as executed. */
    public record Arm(String label, String model, String variant, int n, int correct, Wilson.Interval wilson95, double multiplyAddsPerToken) {}

    /** One arm against the first on the items of difficulties {@code minDifficulty..maxDifficulty} both scored. */
    public record Row(String reference, String other, int minDifficulty, int maxDifficulty, int pairs, long onlyReference, long onlyOther,
            double referenceAccuracy, double otherAccuracy, PairedBootstrap.Interval delta95, double mcnemarP, double holmP, boolean significant) {}

    /** {@code ranges}: inclusive difficulty ranges {min, max}; the bootstrap of comparison k is seeded with seed + k. */
    public static RunComparison of(List<Source> sources, List<int[]> ranges, long seed) {
        if (sources.size() < 2) throw new StrataException("compare needs at least two runs, got " + sources.size());
        if (ranges.isEmpty()) throw new StrataException("compare needs at least one difficulty range");
        LedgerHeader first = sources.get(0).ledger().header();
        List<Map<String, LedgerEntry>> items = new ArrayList<>();
        List<Arm> arms = new ArrayList<>();
        for (Source s : sources) {
            LedgerHeader h = s.ledger().header();
            if (!h.task().equals(first.task()) || h.seed() != first.seed() || h.limit() != first.limit()) {
                throw new StrataException(s.label() + " scored other items (task " + h.task() + ", seed " + h.seed() + ", limit " + h.limit()
                        + ") than " + sources.get(0).label() + " (task " + first.task() + ", seed " + first.seed() + ", limit " + first.limit() + ")");
            }
            Map<String, LedgerEntry> byItem = entries(s);
            items.add(byItem);
            arms.add(arm(s, byItem));
        }
        List<Row> rows = new ArrayList<>();
        List<Double> p = new ArrayList<>();
        int k = 0;
        for (int[] range : ranges) {
            for (int i = 1; i < sources.size(); i++) {
                rows.add(pair(arms.get(0).label(), arms.get(i).label(), items.get(0), items.get(i), range, seed + k++));
                p.add(rows.getLast().mcnemarP());
            }
        }
        double[] holm = MultipleComparisons.holm(p.stream().mapToDouble(Double::doubleValue).toArray());
        List<Row> adjusted = new ArrayList<>();
        for (int j = 0; j < rows.size(); j++) {
            Row r = rows.get(j);
            adjusted.add(new Row(r.reference(), r.other(), r.minDifficulty(), r.maxDifficulty(), r.pairs(), r.onlyReference(), r.onlyOther(),
                    r.referenceAccuracy(), r.otherAccuracy(), r.delta95(), r.mcnemarP(), holm[j], holm[j] <= Summary.ALPHA));
        }
        return new RunComparison(first.task(), List.copyOf(arms), List.copyOf(adjusted));
    }

    /** The arms and the comparisons as two Markdown tables. */
    public String markdown() {
        StringBuilder sb = new StringBuilder("task: " + task + "\n\n| run | model | variant | n | accuracy | Wilson 95% | multiply-adds/token |\n|---|---|---|---:|---:|---|---:|\n");
        for (Arm a : arms) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.1f%% | %.1f–%.1f%% | %,.0f |%n", a.label(), a.model(), a.variant(), a.n(),
                    100.0 * a.correct() / Math.max(1, a.n()), 100 * a.wilson95().low(), 100 * a.wilson95().high(), a.multiplyAddsPerToken()));
        }
        sb.append("\n| reference | other | difficulties | pairs | reference only | other only | reference acc | other acc | Δ [paired bootstrap 95%] | McNemar p | Holm p |\n")
                .append("|---|---|---|---:|---:|---:|---:|---:|---|---:|---:|\n");
        for (Row r : rows) {
            var d = r.delta95();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d-%d | %d | %d | %d | %.1f%% | %.1f%% | %+.1f pp [%+.1f, %+.1f] | %s | %s%s |%n",
                    r.reference(), r.other(), r.minDifficulty(), r.maxDifficulty(), r.pairs(), r.onlyReference(), r.onlyOther(),
                    100 * r.referenceAccuracy(), 100 * r.otherAccuracy(), 100 * d.estimate(), 100 * d.low(), 100 * d.high(),
                    p(r.mcnemarP()), p(r.holmP()), r.significant() ? " *" : ""));
        }
        sb.append(String.format(Locale.ROOT, "%nExact McNemar on the discordant items; * = significant at %.2f after Holm's correction over the %d comparisons.%n",
                Summary.ALPHA, rows.size()));
        return sb.toString();
    }

    private static String p(double p) {
        return p >= 0.001 ? String.format(Locale.ROOT, "%.3f", p) : String.format(Locale.ROOT, "%.1e", p);
    }

    private static Map<String, LedgerEntry> entries(Source s) {
        var info = s.ledger().header().variants().stream().filter(v -> v.name().equals(s.variant())).findFirst()
                .orElseThrow(() -> new StrataException(s.label() + " has no variant '" + s.variant() + "' (it has "
                        + s.ledger().header().variants().stream().map(LedgerHeader.VariantInfo::name).toList() + ")"));
        Map<String, LedgerEntry> byItem = new LinkedHashMap<>();
        for (LedgerEntry e : s.ledger().entries()) if (e.variantHash().equals(info.hash())) byItem.putIfAbsent(e.item(), e);
        return byItem;
    }

    private static Arm arm(Source s, Map<String, LedgerEntry> byItem) {
        int correct = 0;
        long tokens = 0, macs = 0;
        for (LedgerEntry e : byItem.values()) {
            if (e.correct()) correct++;
            ItemCost c = e.cost();
            tokens += c.tokens();
            macs += c.multiplyAdds();
        }
        return new Arm(s.label(), s.ledger().header().model(), s.variant(), byItem.size(), correct, Wilson.interval95(correct, byItem.size()),
                tokens == 0 ? Double.NaN : macs / (double) tokens);
    }

    private static Row pair(String refLabel, String otherLabel, Map<String, LedgerEntry> ref, Map<String, LedgerEntry> other, int[] range, long seed) {
        List<String> common = ref.keySet().stream().filter(other::containsKey)
                .filter(id -> ref.get(id).difficulty() >= range[0] && ref.get(id).difficulty() <= range[1]).toList();
        boolean[] a = new boolean[common.size()], b = new boolean[common.size()];
        int ca = 0, cb = 0;
        for (int j = 0; j < a.length; j++) {
            a[j] = ref.get(common.get(j)).correct();
            b[j] = other.get(common.get(j)).correct();
            if (a[j]) ca++;
            if (b[j]) cb++;
        }
        long[] bc = McNemar.discordant(a, b);
        int n = a.length;
        return new Row(refLabel, otherLabel, range[0], range[1], n, bc[0], bc[1], n == 0 ? Double.NaN : ca / (double) n,
                n == 0 ? Double.NaN : cb / (double) n, PairedBootstrap.accuracyDifference(a, b, seed), McNemar.exactP(bc[0], bc[1]), Double.NaN, false);
    }
}
