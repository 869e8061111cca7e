package dev.strata.gguf;

import dev.strata.StrataException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** mlock(2) through FFM, for --mlock: the weights stay resident, as llama.cpp's flag does. */
final class MemoryLock {
    private static final MethodHandle MLOCK;

    static {
        MethodHandle h = null;
        try {
            Linker linker = Linker.nativeLinker();
            h = linker.downcallHandle(linker.defaultLookup().findOrThrow("mlock"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        } catch (RuntimeException e) {
            h = null;
        }
        MLOCK = h;
    }

    private MemoryLock() {}

    static void lock(String name, MemorySegment segment) {
        if (MLOCK == null) throw new StrataException(name + ": --mlock is not available on this platform");
        int rc;
        try {
            rc = (int) MLOCK.invokeExact(segment, segment.byteSize());
        } catch (Throwable t) {
            throw new StrataException(name + ": mlock failed: " + t.getMessage(), t);
        }
        if (rc != 0) {
            throw new StrataException(name + ": cannot lock " + segment.byteSize() + " bytes in memory (--mlock); the locked-memory limit"
                    + " ('ulimit -l') is probably lower, raise it or drop --mlock");
        }
    }
}
