package dev.strata.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The model to serve when none is given with -m. Today that is only the file named by the STRATA_MODEL
 * environment variable; an embedded default model will be looked up here once it ships.
 */
public final class DefaultModel {
    public static final String ENVIRONMENT_VARIABLE = "STRATA_MODEL";

    private DefaultModel() {}

    public static Optional<Path> find() {
        String configured = System.getenv(ENVIRONMENT_VARIABLE);
        if (configured == null || configured.isBlank()) return Optional.empty();
        Path path = Path.of(configured);
        return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }
}
