package dev.strata.weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident memory as the kernel counts it (/proc/self/status), or -1 where unavailable. */
public final class ResidentMemory {
    private ResidentMemory() {}

    /** Current resident set (VmRSS) in bytes. */
    public static long current() {
        return field("VmRSS:");
    }

    /** Resident pages of mapped files (RssFile): the touched part of the model mapping. */
    public static long file() {
        return field("RssFile:");
    }

    /** Resident anonymous memory (RssAnon): Java heap, off-heap caches, KV cache. */
    public static long anonymous() {
        return field("RssAnon:");
    }

    /** Resident anonymous memory in transparent huge pages (AnonHugePages of /proc/self/smaps_rollup). */
    public static long hugePages() {
        return field(Path.of("/proc/self/smaps_rollup"), "AnonHugePages:", 1024);
    }

    /** Peak resident set (VmHWM) in bytes. */
    public static long peak() {
        return field("VmHWM:");
    }

    /** Bytes this process caused to be fetched from storage (/proc/self/io read_bytes; page-cache hits excluded). */
    public static long storageReadBytes() {
        return field(Path.of("/proc/self/io"), "read_bytes:", 1);
    }

    private static long field(String name) {
        return field(Path.of("/proc/self/status"), name, 1024);
    }

    private static long field(Path file, String name, long unit) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(name)) return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]) * unit;
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
