package dev.strata.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Which file is on disk at a path: device, inode, size and modification time. A copy over the file (same inode,
 * new size or time) or a rename onto it (new inode) both change it.
 */
public record ModelFileIdentity(Object device, Object inode, long size, long modifiedNanos) {

    /** The identity now, or null when the file is gone or unreadable. */
    public static ModelFileIdentity of(Path path) {
        try {
            Map<String, Object> a = Files.readAttributes(path, "unix:dev,ino,size,lastModifiedTime");
            return new ModelFileIdentity(a.get("dev"), a.get("ino"), (Long) a.get("size"),
                    ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).to(java.util.concurrent.TimeUnit.NANOSECONDS));
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    public String describe() {
        return "inode " + inode + ", " + size + " bytes, modified " + java.time.Instant.ofEpochSecond(0, modifiedNanos);
    }
}
