package dev.strata.model;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultModelTest {
    @Test
    void embeddedModelIsUnpackedOnceByContentAndReused(@TempDir Path dir) throws Exception {
        Path classes = dir.resolve("classes");
        Path resource = classes.resolve(DefaultModel.RESOURCE);
        Files.createDirectories(resource.getParent());
        byte[] bytes = "GGUF pretend model bytes".getBytes();
        Files.write(resource, bytes);
        Path cache = dir.resolve("cache");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            Path first = DefaultModel.embedded(loader, cache).orElseThrow();
            assertArrayEquals(bytes, Files.readAllBytes(first));
            long modified = Files.getLastModifiedTime(first).toMillis();
            Path second = DefaultModel.embedded(loader, cache).orElseThrow();
            assertEquals(first, second);
            assertEquals(modified, Files.getLastModifiedTime(second).toMillis());
        }
        Files.write(resource, "GGUF another model".getBytes());
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            Path changed = DefaultModel.embedded(loader, cache).orElseThrow();
            assertArrayEquals("GGUF another model".getBytes(), Files.readAllBytes(changed), "a new model gets a new file");
        }
    }

    @Test
    void noEmbeddedModelGivesEmpty(@TempDir Path dir) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            assertEquals(Optional.empty(), DefaultModel.embedded(loader, dir.resolve("cache")));
        }
    }
}
