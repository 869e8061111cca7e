package dev.strata.bench;

import java.util.List;
import java.util.Locale;

/** The markdown table of resident memory and expert streaming, one row per Strata test. */
final class MemoryTable {
    private MemoryTable() {}

    static String markdown(List<BenchResult> results) {
        StringBuilder sb = new StringBuilder("\n| model | test | mode | budget | RSS MB | file MB | anon MB | huge MB | peak RSS MB | storage MB/token | expert MB/token"
                + " | hit rate | experts touched | I/O ms/token | wait ms/token | compute ms/token | prefetch used/issued |\n");
        sb.append("| ----- | ---: | ---- | -----: | -----: | ------: | ------: | ------: | ----------: | ---------------: | --------------: | -------: | --------------: "
                + "| -----------: | ------------: | ---------------: | -------------------: |\n");
        for (BenchResult r : results) {
            MemoryReport m = r.memory();
            if (m == null) continue;
            String mode = m.mode().equals("mmap") ? "mmap" : String.format(Locale.ROOT, "stream %s%s%s%s", m.policy(),
                    m.packed() ? " packed" : "", m.prefetch() ? " prefetch" : "", m.directIo() ? " direct" : "");
            sb.append("| ").append(String.join(" | ", r.model(), r.test(), mode,
                    m.budgetBytes() == null ? "-" : mb(m.budgetBytes()), mb(m.rssBytes()), mb(m.rssFileBytes()), mb(m.rssAnonBytes()), mb(m.rssHugeBytes()), mb(m.peakRssBytes()),
                    f("%.2f", m.storageMbPerToken()), m.expertMbPerToken() == null ? "-" : f("%.2f", m.expertMbPerToken()),
                    m.hitRate() == null ? "-" : f("%.1f %%", 100 * m.hitRate()),
                    m.expertsTouched() == null ? "-" : Integer.toString(m.expertsTouched()),
                    m.ioMsPerToken() == null ? "-" : f("%.2f", m.ioMsPerToken()),
                    m.waitMsPerToken() == null ? "-" : f("%.2f", m.waitMsPerToken()), f("%.2f", m.computeMsPerToken()),
                    m.prefetchIssued() == null ? "-" : m.prefetchUsed() + "/" + m.prefetchIssued())).append(" |\n");
        }
        return sb.toString();
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "?" : f("%.0f", bytes / 1048576.0);
    }

    private static String f(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
