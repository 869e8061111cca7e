package dev.strata.research;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An append-only line log that survives kill -9: each line is forced to disk before it counts, and on
 * reopening a torn last line is cut off so appending resumes after the last complete one.
 */
final class SyncedLines {
    private SyncedLines() {}

    /** The file's complete lines; {@code channel} is truncated to them and positioned at their end. */
    static List<String> recover(FileChannel channel, Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int valid = 0;
        for (int i = 0; i < bytes.length; i++) if (bytes[i] == '\n') valid = i + 1;
        channel.truncate(valid);
        channel.position(valid);
        return new String(bytes, 0, valid, StandardCharsets.UTF_8).lines().toList();
    }

    /** Appends one line and forces it to disk. */
    static void append(FileChannel channel, String line) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) channel.write(buf);
        channel.force(true);
    }
}
