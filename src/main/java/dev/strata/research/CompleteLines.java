package dev.strata.research;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Recovery of an append-only line log after kill -9: a torn last line is cut off, and appending resumes after the last complete one. */
final class CompleteLines {
    private CompleteLines() {}

    /** The file's complete lines; {@code channel} is truncated to them and positioned at their end. */
    static List<String> recover(FileChannel channel, Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int valid = 0;
        for (int i = 0; i < bytes.length; i++) if (bytes[i] == '\n') valid = i + 1;
        channel.truncate(valid);
        channel.position(valid);
        return new String(bytes, 0, valid, StandardCharsets.UTF_8).lines().toList();
    }
}
