package dev.strata.model;

import dev.strata.StrataException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The model to run when none is given with -m: the file named by the STRATA_MODEL environment
 * variable, else the default model embedded in Strata's jar. The embedded model is copied once to
 * a temporary-directory file named by its content hash (the engine maps files), and reused after.
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
        return Path.of(System.getProperty("java.io.tmpdir"), "strata-" + System.getProperty("user.name", "user"));
    }

    /** The embedded model as a file in {@code cacheDir}, or empty when the class path has none. */
    static Optional<Path> embedded(ClassLoader loader, Path cacheDir) {
        byte[] bytes;
        try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
            if (in == null) return Optional.empty();
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new StrataException("cannot read the embedded default model: " + e.getMessage(), e);
        }
        Path file = cacheDir.resolve("default-model-" + sha256(bytes).substring(0, 16) + ".gguf");
        try {
            if (Files.isRegularFile(file) && Files.size(file) == bytes.length) return Optional.of(file);
            Files.createDirectories(cacheDir);
            Path tmp = Files.createTempFile(cacheDir, "default-model", ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return Optional.of(file);
        } catch (IOException e) {
            throw new StrataException("cannot unpack the embedded default model to " + file + ": " + e.getMessage(), e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
