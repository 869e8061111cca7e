package dev.strata.research;

import dev.strata.StrataException;
import dev.strata.eval.stats.Wilson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The run's report: {@code research.md} (the held-out decisions with the numbers behind them, the
 * variants eliminated in the search and why, crashes) and the plots of {@link ResearchPlots}.
 */
public final class ResearchReport {
    public static final String FILE = "research.md";

    /** The Markdown text and the plot names (PNG and SVG each) written into the run directory. */
    public record Written(String markdown, List<String> plots) {}

    private ResearchReport() {}

    public static Written write(ResearchLoop.Result r, Path dir) {
        List<String> plots = ResearchPlots.write(r, dir);
        String md = markdown(r, plots);
        try {
            Files.writeString(dir.resolve(FILE), md);
        } catch (IOException e) {
            throw new StrataException("cannot write " + dir.resolve(FILE) + ": " + e.getMessage(), e);
        }
        return new Written(md, plots);
    }

    public static String markdown(ResearchLoop.Result r, List<String> plots) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Sealed held-out split: %d items (search split: %d items, never mixed).%n%n", r.heldOutItems(), r.searchItems()));
        b.append("| variant | decision | n | accuracy [Wilson 95%] | baseline | Δ [paired bootstrap 95%] | McNemar p | adjusted p | multiply-adds/token | weight MB/token |\n");
        b.append("|---|---|---:|---:|---:|---|---:|---:|---:|---:|\n");
        for (Decision d : r.decisions()) {
            if (!d.stage().equals(Decision.Stages.BASELINE) && !d.stage().equals(Decision.Stages.HELD_OUT)) continue;
            boolean base = d.stage().equals(Decision.Stages.BASELINE);
            b.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %.1f%% | %s | %s | %s | %s | %.3f |%n", d.variant(), base ? "baseline" : d.status(),
                    d.n(), withInterval(d), 100 * d.baselineAccuracy(), base ? "–" : delta(d), base ? "–" : p(d.p()), base ? "–" : p(d.pAdjusted()),
                    macs(d.multiplyAddsPerToken()), d.memoryMb()));
        }
        b.append("\nKeep rule: exact two-sided McNemar on the held-out items, adjusted over all finalists; kept when the adjusted p <= alpha and\n")
                .append("the variant wins more discordant items than it loses.\n\n");
        List<Decision> search = r.decisions().stream().filter(d -> d.stage().startsWith("search-")).toList();
        if (!search.isEmpty()) {
            b.append("Eliminated in the search (search items only; p unadjusted, for orientation):\n\n");
            b.append("| variant | round | n | accuracy [Wilson 95%] | Δ search [95%] | p | multiply-adds/token |\n|---|---|---:|---:|---|---:|---:|\n");
            for (Decision d : search)
                b.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s |%n", d.variant(), d.stage(), d.n(), withInterval(d), delta(d),
                        p(d.p()), macs(d.multiplyAddsPerToken())));
            b.append('\n');
        }
        for (Decision d : r.decisions()) if (d.stage().equals(Decision.Stages.CRASH)) b.append("crash: ").append(d.variant()).append(": ").append(d.description()).append('\n');
        b.append("\nReasons:\n\n");
        for (Decision d : r.decisions()) if (d.stage().equals(Decision.Stages.HELD_OUT)) b.append("- ").append(d.variant()).append(": ").append(d.description()).append('\n');
        List<String> files = new ArrayList<>();
        for (String name : plots) files.add(name + ".png");
        if (!files.isEmpty()) b.append("\nPlots: ").append(String.join(", ", files)).append(" (and .svg)\n");
        return b.toString();
    }

    private static String withInterval(Decision d) {
        var w = Wilson.interval95(Math.round(d.accuracy() * d.n()), d.n());
        return String.format(Locale.ROOT, "%.1f%% [%.0f, %.0f]", 100 * d.accuracy(), 100 * w.low(), 100 * w.high());
    }

    private static String delta(Decision d) {
        var x = d.delta();
        return String.format(Locale.ROOT, "%+.1f pp [%+.1f, %+.1f]", 100 * x.estimate(), 100 * x.low(), 100 * x.high());
    }

    private static String p(double p) {
        return Double.isNaN(p) ? "–" : String.format(Locale.ROOT, "%.3g", p);
    }

    private static String macs(double m) {
        return Double.isNaN(m) ? "–" : String.format(Locale.ROOT, "%,.0f", m);
    }
}
