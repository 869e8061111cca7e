package dev.strata;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Locates ../shared (or -Dstrata.shared / $STRATA_SHARED). Tests read fixtures in place from there. */
public final class SharedData {
    private SharedData() {}

    public static Path dir() {
        String p = System.getProperty("strata.shared");
        if (p == null) p = System.getenv("STRATA_SHARED");
        Path dir = Path.of(p != null ? p : "../shared").toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) throw new IllegalStateException("shared test data not found at " + dir);
        return dir;
    }

    public static Path model(String name) {
        return dir().resolve("models").resolve(name);
    }

    public static Path oracle(String model) {
        return dir().resolve("oracle").resolve(model + ".oracle.jsonl");
    }

    public static Path resolve(String relative) {
        return dir().resolve(relative);
    }

    /** Skips the calling test if the file is absent (never expected in CI). */
    public static Path require(Path p) {
        Assumptions.assumeTrue(Files.exists(p), "missing " + p);
        return p;
    }
}
