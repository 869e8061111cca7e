package dev.strata;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacked files are verified by SHA-256 on reuse, in a directory only this user can enter (finding 8). */
class ContentCacheTest {
    @TempDir
    Path tmp;

    @Test
    void aSameSizeCorruptedFileIsDetectedAndReplaced() throws Exception {
        byte[] bytes = "GGUF pretend model bytes".getBytes(StandardCharsets.UTF_8);
        ContentCache cache = new ContentCache(tmp.resolve("cache"));
        Path file = cache.file("default-model", ".gguf", bytes);
        byte[] corrupt = bytes.clone();
        corrupt[5] ^= 1;
        Files.write(file, corrupt);
        assertEquals(bytes.length, Files.size(file));
        assertEquals(file, cache.file("default-model", ".gguf", bytes));
        assertArrayEquals(bytes, Files.readAllBytes(file));
    }

    @Test
    void theDirectoryIsPrivateEvenWhenItExistedOpen() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("open"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        new ContentCache(dir).file("x", ".bin", new byte[] {1, 2, 3});
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        Path fresh = tmp.resolve("fresh");
        new ContentCache(fresh).file("x", ".bin", new byte[] {1});
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
    }

    @Test
    void theNameCarriesTheContentHashAndASymlinkedDirectoryIsRefused() throws Exception {
        byte[] bytes = {42};
        Path file = new ContentCache(tmp.resolve("c")).file("lib", ".so", bytes);
        String expected = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
        assertEquals("lib-" + expected + ".so", file.getFileName().toString());
        Path link = Files.createSymbolicLink(tmp.resolve("link"), tmp.resolve("c"));
        StrataException e = assertThrows(StrataException.class, () -> new ContentCache(link).file("lib", ".so", bytes));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    }
}
