package dev.strata.testoracle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A recent llama.cpp in process through FFM downcalls: an independent oracle that, unlike the bundled
 * de.kherud build, knows qwen3 and qwen3moe. One model and one context (one sequence, F16 KV cache,
 * flash attention off as in the shared oracle files). Not thread-safe.
 */
public final class LlamaCppNative implements AutoCloseable {
    private final LlamaCppLibrary lib;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment model, ctx, vocab;
    private final int vocabSize, contextLength;
    private int position;

    /** Skips the calling test (JUnit assumption) when the llama.cpp libraries are not available here. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(LlamaCppLibrary.get() != null, LlamaCppLibrary.unavailableReason());
    }

    public LlamaCppNative(Path gguf, int contextLength, int threads) {
        assumeAvailable();
        this.lib = LlamaCppLibrary.get();
        this.contextLength = contextLength;
        try {
            LlamaCppLibrary.drainLog();
            MemorySegment mp = (MemorySegment) lib.modelDefaultParams.invokeExact((SegmentAllocator) arena);
            model = (MemorySegment) lib.modelLoad.invokeExact(arena.allocateFrom(gguf.toString()), mp);
            if (model.equals(MemorySegment.NULL)) throw new IllegalStateException("llama.cpp cannot load " + gguf + ": " + lastError());
            MemorySegment cp = (MemorySegment) lib.contextDefaultParams.invokeExact((SegmentAllocator) arena);
            cp.set(JAVA_INT, 0, contextLength); // n_ctx
            cp.set(JAVA_INT, 4, contextLength); // n_batch: a whole prompt in one llama_decode
            cp.set(JAVA_INT, 8, contextLength); // n_ubatch
            cp.set(JAVA_INT, flashAttnOffset(cp), 0); // LLAMA_FLASH_ATTN_TYPE_DISABLED
            ctx = (MemorySegment) lib.initFromModel.invokeExact(model, cp);
            if (ctx.equals(MemorySegment.NULL)) throw new IllegalStateException("llama.cpp cannot create a context: " + lastError());
            lib.setNThreads.invokeExact(ctx, threads, threads);
            vocab = (MemorySegment) lib.modelGetVocab.invokeExact(model);
            vocabSize = (int) lib.vocabNTokens.invokeExact(vocab);
            checkContext(threads);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * llama_context_params lists rope_scaling_type, pooling_type, attention_type and flash_attn_type (all
     * -1 by default) just before rope_freq_base and rope_freq_scale (0.0f) and yarn_ext_factor (-1.0f);
     * earlier fields vary between versions, so the place is found from the defaults and then checked
     * against llama.cpp's own report of the context it built.
     */
    static long flashAttnOffset(MemorySegment defaults) {
        for (long o = 0; o + 28 <= 160; o += 4) {
            boolean minusOnes = true;
            for (int i = 0; i < 4; i++) minusOnes &= defaults.get(JAVA_INT, o + 4L * i) == -1;
            if (minusOnes && defaults.get(JAVA_INT, o + 16) == 0 && defaults.get(JAVA_INT, o + 20) == 0
                    && defaults.get(JAVA_FLOAT, o + 24) == -1f) {
                return o + 12;
            }
        }
        throw new IllegalStateException("llama_context_params: cannot place flash_attn_type in this llama.cpp version");
    }

    private void checkContext(int threads) throws Throwable {
        String log = LlamaCppLibrary.drainLog();
        int n = (int) lib.nCtx.invokeExact(ctx), t = (int) lib.nThreads.invokeExact(ctx);
        if (n != contextLength || t != threads) throw new IllegalStateException("context has n_ctx " + n + ", threads " + t);
        if (!log.matches("(?s).*flash_attn\\s+=\\s+(disabled|0|false)\\b.*")) {
            throw new IllegalStateException("llama.cpp did not report flash attention disabled:\n" + log);
        }
        if (!log.matches("(?s).*n_batch\\s+=\\s+" + contextLength + "\\b.*")) {
            throw new IllegalStateException("llama.cpp did not take n_batch " + contextLength + ":\n" + log);
        }
    }

    private static String lastError() {
        String log = LlamaCppLibrary.drainLog().strip();
        int cut = log.lastIndexOf('\n', Math.max(0, log.length() - 400));
        return log.substring(Math.max(0, cut + 1));
    }

    /** Which CPU backend variant llama.cpp runs on. */
    public String cpuBackend() {
        return lib.cpuBackend;
    }

    public int vocabSize() {
        return vocabSize;
    }

    /** llama_tokenize with add_special (BOS where the model wants it) and parse_special. */
    public int[] tokenize(String text, boolean addSpecial) {
        try (Arena a = Arena.ofConfined()) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            MemorySegment in = a.allocate(utf8.length + 1L);
            MemorySegment.copy(utf8, 0, in, JAVA_BYTE, 0, utf8.length);
            int cap = utf8.length + 8;
            MemorySegment out = a.allocate(JAVA_INT, cap);
            int n = (int) lib.tokenize.invokeExact(vocab, in, utf8.length, out, cap, addSpecial, true);
            if (n < 0) throw new IllegalStateException("llama_tokenize needs " + -n + " tokens");
            return out.asSlice(0, 4L * n).toArray(JAVA_INT);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The bytes of one token's text (special tokens rendered), as llama.cpp emits them. */
    public byte[] piece(int token) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(256);
            int n = (int) lib.tokenToPiece.invokeExact(vocab, token, buf, 256, 0, true);
            if (n < 0) throw new IllegalStateException("token " + token + " piece needs " + -n + " bytes");
            return buf.asSlice(0, n).toArray(JAVA_BYTE);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Empties the KV cache: the next decode starts at position 0. */
    public void reset() {
        try {
            MemorySegment mem = (MemorySegment) lib.getMemory.invokeExact(ctx);
            lib.memoryClear.invokeExact(mem, true);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        position = 0;
    }

    /**
     * Decodes the tokens in one llama_decode at the next positions. Returns the logits of every token
     * when {@code allLogits}, else of the last one only: {@code [outputs][vocab]}.
     */
    public float[][] decode(int[] tokens, boolean allLogits) {
        int n = tokens.length;
        if (n == 0 || position + n > contextLength) throw new IllegalArgumentException(n + " tokens at position " + position);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment tok = a.allocateFrom(JAVA_INT, tokens);
            MemorySegment pos = a.allocate(JAVA_INT, n), nSeq = a.allocate(JAVA_INT, n), seqIds = a.allocate(ADDRESS, n);
            MemorySegment out = a.allocate(JAVA_BYTE, n), seq0 = a.allocate(JAVA_INT);
            for (int i = 0; i < n; i++) {
                pos.setAtIndex(JAVA_INT, i, position + i);
                nSeq.setAtIndex(JAVA_INT, i, 1);
                seqIds.setAtIndex(ADDRESS, i, seq0);
                out.set(JAVA_BYTE, i, (byte) (allLogits || i == n - 1 ? 1 : 0));
            }
            MemorySegment batch = a.allocate(LlamaCppLibrary.BATCH);
            batch.set(JAVA_INT, 0, n);
            long[] fields = {8, 16, 24, 32, 40, 48};
            MemorySegment[] values = {tok, MemorySegment.NULL, pos, nSeq, seqIds, out};
            for (int i = 0; i < fields.length; i++) batch.set(ADDRESS, fields[i], values[i]);
            int rc = (int) lib.decode.invokeExact(ctx, batch);
            if (rc != 0) throw new IllegalStateException("llama_decode returned " + rc + ": " + lastError());
            position += n;
            float[][] logits = new float[allLogits ? n : 1][];
            for (int i = 0; i < logits.length; i++) {
                MemorySegment row = (MemorySegment) lib.getLogitsIth.invokeExact(ctx, allLogits ? i : n - 1);
                if (row.equals(MemorySegment.NULL)) throw new IllegalStateException("no logits for output " + i);
                logits[i] = row.reinterpret(4L * vocabSize).toArray(JAVA_FLOAT);
            }
            return logits;
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close() {
        try {
            lib.free.invokeExact(ctx);
            lib.modelFree.invokeExact(model);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            arena.close();
        }
    }
}
