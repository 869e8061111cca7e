package dev.strata;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * Files Strata unpacks from its jar (the default model, libstrata), kept once per content hash in a private
 * directory (0700, owned by this user) and verified by SHA-256 on every use: a same-size corrupted or planted file
 * is replaced, never loaded. Replacing is atomic, so concurrent processes only ever see whole files.
 */
public final class ContentCache {
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    private final Path dir;

    public ContentCache(Path dir) {
        this.dir = dir;
    }

    /** $XDG_CACHE_HOME/strata, else ~/.cache/strata. */
    public static ContentCache userDefault() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new ContentCache(base.resolve("strata"));
    }

    public Path dir() {
        return dir;
    }

    /** The cached file {@code prefix-<hash16>suffix} holding exactly these bytes, written or repaired as needed. */
    public Path file(String prefix, String suffix, byte[] bytes) {
        String hash = sha256(bytes);
        Path file = dir.resolve(prefix + "-" + hash.substring(0, 16) + suffix);
        try {
            ensurePrivateDirectory();
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && hash.equals(sha256(file))) return file;
            Path tmp = Files.createTempFile(dir, prefix, ".tmp");
            try {
                Files.write(tmp, bytes);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return file;
        } catch (IOException | UnsupportedOperationException e) {
            throw new StrataException("cannot unpack " + file.getFileName() + " to " + dir + ": " + e.getMessage(), e);
        }
    }

    private void ensurePrivateDirectory() throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another process created it; the checks below decide whether it is usable
            }
        }
        if (Files.isSymbolicLink(dir)) throw new IOException(dir + " is a symbolic link");
        String me = System.getProperty("user.name");
        String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
        if (!owner.equals(me)) throw new IOException(dir + " belongs to " + owner + ", not " + me);
        if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(PRIVATE)) Files.setPosixFilePermissions(dir, PRIVATE);
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest d = digest();
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
