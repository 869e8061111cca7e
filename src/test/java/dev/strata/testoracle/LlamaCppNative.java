package dev.strata.testoracle;

import dev.strata.bench.llamacpp.LlamaCppContext;
import dev.strata.bench.llamacpp.LlamaCppLibrary;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A recent llama.cpp in process as a test oracle: the main binding ({@link LlamaCppContext}) with the
 * oracle's settings (one sequence, F16 KV cache, flash attention off as in the shared oracle files,
 * the haswell CPU variant) and a check that llama.cpp took them. Skips the test where the libraries
 * are absent. Not thread-safe.
 */
public final class LlamaCppNative implements AutoCloseable {
    private final LlamaCppContext context;

    /** Skips the calling test (JUnit assumption) when the llama.cpp libraries are not available here. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(LlamaCppLibrary.get() != null, LlamaCppLibrary.unavailableReason());
    }

    public LlamaCppNative(Path gguf, int contextLength, int threads) {
        assumeAvailable();
        LlamaCppLibrary.drainLog();
        context = new LlamaCppContext(LlamaCppLibrary.get(), gguf, new LlamaCppContext.Options(contextLength, contextLength, 1, threads, true));
        checkContext(contextLength, threads);
    }

    private void checkContext(int contextLength, int threads) {
        String log = LlamaCppLibrary.drainLog();
        int[] reported = context.reportedContextAndThreads();
        if (reported[0] != contextLength || reported[1] != threads) {
            throw new IllegalStateException("context has n_ctx " + reported[0] + ", threads " + reported[1]);
        }
        if (!log.matches("(?s).*flash_attn\\s+=\\s+(disabled|0|false)\\b.*")) {
            throw new IllegalStateException("llama.cpp did not report flash attention disabled:\n" + log);
        }
        if (!log.matches("(?s).*n_batch\\s+=\\s+" + contextLength + "\\b.*")) {
            throw new IllegalStateException("llama.cpp did not take n_batch " + contextLength + ":\n" + log);
        }
    }

    /** Which CPU backend variant llama.cpp runs on. */
    public String cpuBackend() {
        return context.cpuBackend();
    }

    public int vocabSize() {
        return context.vocabSize();
    }

    /** llama_tokenize with add_special (BOS where the model wants it) and parse_special. */
    public int[] tokenize(String text, boolean addSpecial) {
        return context.tokenize(text, addSpecial);
    }

    /** The bytes of one token's text (special tokens rendered), as llama.cpp emits them. */
    public byte[] piece(int token) {
        return context.piece(token);
    }

    /** Empties the KV cache: the next decode starts at position 0. */
    public void reset() {
        context.reset();
    }

    /** See {@link LlamaCppContext#decode(int[], boolean)}. */
    public float[][] decode(int[] tokens, boolean allLogits) {
        return context.decode(tokens, allLogits);
    }

    @Override
    public void close() {
        context.close();
    }
}
