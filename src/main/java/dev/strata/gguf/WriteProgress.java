package dev.strata.gguf;

/**
 * Reports how far a {@link GgufWriter#write} has got, tensor by tensor. Installed for the current
 * thread with {@link #watch}: progress is a concern of the command that runs a tool, so it reaches
 * the writer without every tool (synth, quantize, repack, surgery) carrying it in its signature.
 */
@FunctionalInterface
public interface WriteProgress {
    void written(long bytesDone, long bytesTotal);

    ThreadLocal<WriteProgress> CURRENT = new ThreadLocal<>();

    /** Reports every GGUF this thread writes until the returned scope is closed. */
    static Scope watch(WriteProgress progress) {
        WriteProgress previous = CURRENT.get();
        CURRENT.set(progress);
        return () -> CURRENT.set(previous);
    }

    interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
