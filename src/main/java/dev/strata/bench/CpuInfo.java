package dev.strata.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CPU this process runs on, as /proc/cpuinfo names it, for benchmark headers and cache keys. */
public final class CpuInfo {
    private CpuInfo() {}

    public static String modelName() {
        return modelName(Path.of("/proc/cpuinfo"));
    }

    static String modelName(Path cpuinfo) {
        try (var lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
    }
}
