package dev.strata.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CPU's model name, for bench headers (benchmarks name the machine they ran on). */
public final class CpuInfo {
    private CpuInfo() {}

    /** "AMD EPYC 9B14" from /proc/cpuinfo on Linux, else os.arch. */
    public static String model() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).strip();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through to the architecture
        }
        return System.getProperty("os.arch", "unknown CPU");
    }
}
