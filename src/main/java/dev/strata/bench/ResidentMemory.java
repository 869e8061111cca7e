package dev.strata.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * This process's resident memory from Linux's /proc: the whole process (VmRSS) and the pages of
 * one memory-mapped file that are resident in this process (the sum of {@code Rss:} over that
 * file's mappings in /proc/self/smaps). Mapped weights count once however many plan steps read
 * them, so the second figure is the resident weight memory. Values are -1 where /proc is absent.
 */
public record ResidentMemory(long processBytes, long mappedFileBytes) {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path SMAPS = Path.of("/proc/self/smaps");

    public static boolean available() {
        return Files.isReadable(STATUS) && Files.isReadable(SMAPS);
    }

    /** A snapshot now; mappedFile may be null (then only the process figure is read). */
    public static ResidentMemory of(Path mappedFile) {
        if (!available()) return new ResidentMemory(-1, -1);
        try {
            long process = kib(Files.readAllLines(STATUS), "VmRSS:");
            return new ResidentMemory(process, mappedFile == null ? -1 : mappedFileBytes(mappedFile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long mappedFileBytes(Path file) throws IOException {
        String target = file.toRealPath().toString();
        boolean inTarget = false;
        long bytes = 0;
        for (String line : Files.readAllLines(SMAPS)) {
            if (isMappingHeader(line)) {
                inTarget = line.endsWith(" " + target);
            } else if (inTarget && line.startsWith("Rss:")) {
                bytes += kib(List.of(line), "Rss:");
            }
        }
        return bytes;
    }

    /** Mapping headers start with "start-end perms", e.g. "7f12a000-7f12b000 r--s 00000000 fd:01 123 /path". */
    private static boolean isMappingHeader(String line) {
        int dash = line.indexOf('-'), space = line.indexOf(' ');
        return dash > 0 && space > dash && line.substring(0, dash).chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    private static long kib(List<String> lines, String key) {
        for (String line : lines) {
            if (line.startsWith(key)) {
                String v = line.substring(key.length()).trim();
                return Long.parseLong(v.substring(0, v.indexOf(' '))) * 1024;
            }
        }
        return -1;
    }
}
