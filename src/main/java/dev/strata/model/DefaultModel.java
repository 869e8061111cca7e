package dev.strata.model;

import dev.strata.ContentCache;
import dev.strata.StrataException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The model to run when none is given with -m: the file named by the STRATA_MODEL environment
 * variable, else the default model embedded in Strata's jar. The embedded model is copied once to
 * a private cache directory, named by its content hash (the engine maps files), and verified by SHA-256 before
 * every reuse.
 */
public final class DefaultModel {
    public static final String ENVIRONMENT_VARIABLE = "STRATA_MODEL";
    public static final String RESOURCE = "dev/strata/default-model.gguf";

    private DefaultModel() {}

    /** STRATA_MODEL, else the embedded model; a one-line error when neither exists. */
    public static Path resolve() {
        return find().orElseThrow(() -> new StrataException("no model given: pass one with -m FILE, set " + ENVIRONMENT_VARIABLE
                + ", or build Strata with the embedded default model (src/main/resources/" + RESOURCE + ")"));
    }

    public static Optional<Path> find() {
        String configured = System.getenv(ENVIRONMENT_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isRegularFile(path)) throw new StrataException(ENVIRONMENT_VARIABLE + " names " + path + ": no such file");
            return Optional.of(path);
        }
        return embedded(DefaultModel.class.getClassLoader(), cacheDirectory());
    }

    static Path cacheDirectory() {
        return ContentCache.userDefault().dir();
    }

    /** The embedded model as a verified file in the private {@code cacheDir}, or empty when the class path has none. */
    static Optional<Path> embedded(ClassLoader loader, Path cacheDir) {
        byte[] bytes;
        try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
            if (in == null) return Optional.empty();
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new StrataException("cannot read the embedded default model: " + e.getMessage(), e);
        }
        return Optional.of(new ContentCache(cacheDir).file("default-model", ".gguf", bytes));
    }
}
