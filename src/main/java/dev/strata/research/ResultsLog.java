package dev.strata.research;

import dev.strata.StrataException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@value #FILE}: autoresearch's log (commit, metric, memory, status, description) plus the variant,
 * the stage and the statistics behind each decision. Append-only, one fsynced write per row. Every
 * row is a function of the ledger, so a resumed run re-derives rows it already wrote and skips them
 * by (stage, variant); a torn last row from a kill -9 is cut off first.
 */
public final class ResultsLog implements AutoCloseable {
    public static final String FILE = "results.tsv";
    public static final List<String> COLUMNS = List.of("commit", "metric", "memory_mb", "status", "description", "variant", "stage", "n",
            "baseline_metric", "delta", "delta_low95", "delta_high95", "p", "p_adjusted", "multiply_adds_per_token");

    private final FileChannel channel;
    private final Set<String> written = new HashSet<>();
    private final String commit;

    private ResultsLog(FileChannel channel, String commit) {
        this.channel = channel;
        this.commit = commit;
    }

    /** Opens the log in {@code dir}, creating it with its header line, or continuing it on resume. */
    public static ResultsLog open(Path dir, String commit) {
        Path file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            boolean fresh = !Files.exists(file);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            ResultsLog log = new ResultsLog(ch, commit);
            if (fresh || ch.size() == 0) log.write(String.join("\t", COLUMNS));
            else log.recover(file);
            return log;
        } catch (IOException e) {
            throw new StrataException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    private void recover(Path file) throws IOException {
        List<String> lines = SyncedLines.recover(channel, file);
        if (lines.isEmpty() || !lines.get(0).equals(String.join("\t", COLUMNS))) {
            if (lines.isEmpty()) write(String.join("\t", COLUMNS));
            else throw new StrataException(file + " is not a Strata research log (its header differs)");
        }
        int variant = COLUMNS.indexOf("variant"), stage = COLUMNS.indexOf("stage");
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.split("\t", -1);
            written.add(f[stage] + " " + f[variant]);
        }
    }

    /** Appends the row unless a row for its (stage, variant) is already there. */
    public synchronized void append(Decision d) {
        if (!written.add(d.key())) return;
        try {
            write(format(d));
        } catch (IOException e) {
            throw new StrataException("cannot append to " + FILE + ": " + e.getMessage(), e);
        }
    }

    String format(Decision d) {
        var delta = d.delta();
        return String.join("\t", commit, num(d.accuracy()), num(d.memoryMb()), d.status(), d.description().replace('\t', ' '), d.variant(),
                d.stage(), Integer.toString(d.n()), num(d.baselineAccuracy()), num(delta == null ? Double.NaN : delta.estimate()),
                num(delta == null ? Double.NaN : delta.low()), num(delta == null ? Double.NaN : delta.high()), sci(d.p()), sci(d.pAdjusted()),
                Double.isNaN(d.multiplyAddsPerToken()) ? "" : String.format(Locale.ROOT, "%.0f", d.multiplyAddsPerToken()));
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String sci(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4g", v);
    }

    private void write(String line) throws IOException {
        SyncedLines.append(channel, line);
    }

    /** The rows of a log, header excluded, each split into its columns. */
    public static List<String[]> read(Path dir) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(FILE));
            List<String[]> out = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) out.add(line.split("\t", -1));
            return out;
        } catch (IOException e) {
            throw new StrataException("cannot read " + dir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new StrataException("cannot close " + FILE + ": " + e.getMessage(), e);
        }
    }
}
