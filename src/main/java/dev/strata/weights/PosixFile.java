package dev.strata.weights;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import dev.strata.tensor.Libc;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** A read-only file descriptor from libc's open, read with pread, advised with posix_fadvise (Linux). */
final class PosixFile implements ExpertFile {
    private static final MethodHandle PREAD = Libc.find("pread", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle FADVISE = Libc.find("posix_fadvise", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = Libc.find("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /** Null unless all four are there (isAvailable checks this one). */
    private static final MethodHandle OPEN = PREAD == null || FADVISE == null || CLOSE == null ? null
            : Libc.find("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));

    private final int fd;
    private final Path path;

    private PosixFile(int fd, Path path) {
        this.fd = fd;
        this.path = path;
    }

    static boolean isAvailable() {
        return OPEN != null;
    }

    static PosixFile open(Path path, ReadAdvice advice) throws IOException {
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = (int) OPEN.invokeExact(arena.allocateFrom(path.toAbsolutePath().toString()), 0 /* O_RDONLY */, 0);
        } catch (Throwable t) {
            throw new IOException("open failed: " + t);
        }
        if (fd < 0) throw new IOException("open(2) failed for " + path);
        PosixFile f = new PosixFile(fd, path);
        int err;
        try {
            err = (int) FADVISE.invokeExact(fd, 0L, 0L, advice.posixValue);
        } catch (Throwable t) {
            f.close();
            throw new IOException("posix_fadvise failed: " + t);
        }
        if (err != 0) {
            f.close();
            throw new IOException("posix_fadvise failed with error " + err);
        }
        return f;
    }

    @Override
    public long read(MemorySegment dst, long position) throws IOException {
        long n;
        try {
            n = (long) PREAD.invokeExact(fd, dst, dst.byteSize(), position);
        } catch (Throwable t) {
            throw new IOException("pread failed: " + t);
        }
        if (n < 0) throw new IOException("pread(2) failed on " + path + " at " + position);
        return n;
    }

    @Override
    public long size() throws IOException {
        return java.nio.file.Files.size(path);
    }

    @Override
    public void close() throws IOException {
        try {
            int unused = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IOException("close failed: " + t);
        }
    }
}
