package dev.strata.eval.report;

import java.util.Locale;

/** The report as a Markdown table, one row per variant, with the configuration it came from above it. */
public final class MarkdownReport {
    private MarkdownReport() {}

    public static String render(Summary s) {
        var h = s.header();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "task: %s, %d items; model %s (SHA-256 %s); kernels %s, %d threads, seed %d; strata %s%n%n",
                h.task(), h.items(), h.model(), h.modelSha256().substring(0, 16), h.kernels(), h.threads(), h.seed(), h.strataCommit()));
        String energy = s.variants().stream().anyMatch(v -> v.energy().equals("rapl")) ? "J/token (RAPL)"
                : String.format(Locale.ROOT, "J/token (est., %.0f W/core)", h.watts());
        sb.append("| variant | n | accuracy | Wilson 95% | Δ vs ").append(s.variants().get(0).variant())
                .append(" [paired bootstrap 95%] | McNemar p | Holm p | active params/token | multiply-adds/token | weight MB/token | KV KB/token | tokens/s | prompt t/s | gen t/s | wall s | ")
                .append(energy).append(" |\n");
        sb.append("|---|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (VariantSummary v : s.variants()) {
            var c = v.comparison();
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.1f%% | %.1f–%.1f%% | %s | %s | %s | %,d | %s | %.3f | %.2f | %.0f | %.0f | %.0f | %.1f | %.3g |%n",
                    v.variant(), v.n(), 100 * v.accuracy(), 100 * v.wilson95().low(), 100 * v.wilson95().high(), delta(c),
                    c == null ? "–" : p(c.mcnemarP()), c == null ? "–" : p(c.holmP()) + (c.significant() ? " *" : ""), v.activeParameters(),
                    si(v.multiplyAddsPerToken()), v.weightBytesPerToken() / 1e6, v.kvBytesPerToken() / 1024.0, v.tokensPerSecond(),
                    v.promptTokensPerSecond(), v.generationTokensPerSecond(), v.wallSeconds(), v.joulesPerToken()));
        }
        sb.append(String.format(Locale.ROOT, "%nΔ and p compare each variant with %s on the same items; * = significant at %.2f after Holm's"
                + " correction of the exact McNemar test. tokens/s is per worker (one sequence each),"
                + " over all forward-pass tokens; prompt t/s and gen t/s split it into prompt processing and decode steps.%n", s.variants().get(0).variant(), Summary.ALPHA));
        if (!s.complete()) sb.append("\nincomplete run: some variants have fewer than ").append(s.expectedItems()).append(" items; resume it with --resume\n");
        return sb.toString();
    }

    private static String delta(VariantSummary.Comparison c) {
        if (c == null) return "–";
        var d = c.delta95();
        return String.format(Locale.ROOT, "%+.1f pp [%+.1f, %+.1f]", 100 * d.estimate(), 100 * d.low(), 100 * d.high());
    }

    private static String p(double p) {
        return p >= 0.001 ? String.format(Locale.ROOT, "%.3f", p) : String.format(Locale.ROOT, "%.1e", p);
    }

    private static String si(double x) {
        if (x >= 1e9) return String.format(Locale.ROOT, "%.2f G", x / 1e9);
        if (x >= 1e6) return String.format(Locale.ROOT, "%.2f M", x / 1e6);
        if (x >= 1e3) return String.format(Locale.ROOT, "%.1f k", x / 1e3);
        return String.format(Locale.ROOT, "%.0f", x);
    }
}
