package dev.strata.cli;

import dev.strata.gguf.WriteProgress;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars on stderr for the commands that write GGUF files or run long loops. */
final class Progress {
    private Progress() {}

    /** Bars draw only for a person at a terminal; in logs and pipes their carriage returns are noise. */
    static boolean interactive() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }

    /** A bar, or null when no one is watching. max -1: a count without an end. */
    static ProgressBar bar(String task, long max, String unit, long unitSize) {
        if (!interactive()) return null;
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setUnit(unit, unitSize)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().showSpeed().build();
    }

    /** Shows MB written while the returned scope is open (the bar appears with the first tensor). */
    static WriteProgress.Scope gguf(String task) {
        ProgressBar[] bar = new ProgressBar[1];
        WriteProgress.Scope scope = WriteProgress.watch((done, total) -> {
            if (bar[0] == null) bar[0] = bar(task, total, " MB", 1 << 20);
            if (bar[0] != null) bar[0].stepTo(done);
        });
        return () -> {
            scope.close();
            if (bar[0] != null) bar[0].close();
        };
    }
}
