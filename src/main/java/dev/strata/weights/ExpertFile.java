package dev.strata.weights;

import dev.strata.StrataException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The expert file as the streaming cache reads it: positional reads into off-heap memory. */
interface ExpertFile extends AutoCloseable {

    /** Reads up to {@code dst.byteSize()} bytes at {@code position}; returns the count, 0 at end of file. */
    long read(MemorySegment dst, long position) throws IOException;

    long size() throws IOException;

    @Override
    void close() throws IOException;

    /**
     * Direct I/O goes through a {@link FileChannel} with O_DIRECT; buffered reads go through libc so
     * that {@code posix_fadvise} applies to the descriptor that reads (the JDK exposes none).
     */
    static ExpertFile open(Path path, String name, boolean directIo, ReadAdvice advice) {
        try {
            if (!directIo && advice != ReadAdvice.NORMAL && PosixFile.isAvailable()) return PosixFile.open(path, advice);
            OpenOption[] open = directIo
                    ? new OpenOption[] {StandardOpenOption.READ, com.sun.nio.file.ExtendedOpenOption.DIRECT}
                    : new OpenOption[] {StandardOpenOption.READ};
            FileChannel channel = FileChannel.open(path, open);
            return new ExpertFile() {
                @Override
                public long read(MemorySegment dst, long position) throws IOException {
                    return Math.max(0, channel.read(dst.asByteBuffer(), position));
                }

                @Override
                public long size() throws IOException {
                    return channel.size();
                }

                @Override
                public void close() throws IOException {
                    channel.close();
                }
            };
        } catch (IOException | UnsupportedOperationException e) {
            throw new StrataException(name + ": cannot open for " + (directIo ? "direct " : "") + "reads: " + e.getMessage());
        }
    }
}
