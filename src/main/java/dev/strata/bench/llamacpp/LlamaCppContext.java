package dev.strata.bench.llamacpp;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One llama.cpp model and context in process through FFM downcalls: the bench opponent (prompt,
 * single-sequence and batched decode) and the tests' second oracle. F16 KV cache; flash attention as
 * llama.cpp defaults it unless {@link Options#flashAttentionOff}. Not thread-safe.
 */
public final class LlamaCppContext implements AutoCloseable {
    /**
     * @param contextLength KV cells in all (split evenly between sequences by llama.cpp)
     * @param batchSize     tokens one llama_decode may take (n_batch = n_ubatch)
     * @param sequences     parallel sequences (n_seq_max), each with its own positions
     */
    public record Options(int contextLength, int batchSize, int sequences, int threads, boolean flashAttentionOff) {}

    private final LlamaCppLibrary lib;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment model, ctx, vocab;
    private final int vocabSize, contextLength, capacity;
    private final MemorySegment batch, tok, pos, nSeq, seqIds, outputs, seqValues;
    private int position;

    public LlamaCppContext(LlamaCppLibrary lib, Path gguf, Options o) {
        this.lib = lib;
        this.contextLength = o.contextLength();
        this.capacity = Math.max(o.batchSize(), o.sequences());
        try {
            MemorySegment mp = (MemorySegment) lib.modelDefaultParams.invokeExact((SegmentAllocator) arena);
            model = (MemorySegment) lib.modelLoad.invokeExact(arena.allocateFrom(gguf.toString()), mp);
            if (model.equals(MemorySegment.NULL)) throw new IllegalStateException("llama.cpp cannot load " + gguf + ": " + lastError());
            MemorySegment cp = (MemorySegment) lib.contextDefaultParams.invokeExact((SegmentAllocator) arena);
            if (cp.get(JAVA_INT, 12) != 1) throw new IllegalStateException("llama_context_params: n_seq_max is not where expected");
            cp.set(JAVA_INT, 0, contextLength); // n_ctx
            cp.set(JAVA_INT, 4, o.batchSize()); // n_batch: a whole prompt in one llama_decode
            cp.set(JAVA_INT, 8, o.batchSize()); // n_ubatch
            cp.set(JAVA_INT, 12, o.sequences()); // n_seq_max
            if (o.flashAttentionOff()) cp.set(JAVA_INT, flashAttnOffset(cp), 0); // LLAMA_FLASH_ATTN_TYPE_DISABLED
            ctx = (MemorySegment) lib.initFromModel.invokeExact(model, cp);
            if (ctx.equals(MemorySegment.NULL)) throw new IllegalStateException("llama.cpp cannot create a context: " + lastError());
            lib.setNThreads.invokeExact(ctx, o.threads(), o.threads());
            vocab = (MemorySegment) lib.modelGetVocab.invokeExact(model);
            vocabSize = (int) lib.vocabNTokens.invokeExact(vocab);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        batch = arena.allocate(LlamaCppLibrary.BATCH);
        tok = arena.allocate(JAVA_INT, capacity);
        pos = arena.allocate(JAVA_INT, capacity);
        nSeq = arena.allocate(JAVA_INT, capacity);
        seqIds = arena.allocate(ADDRESS, capacity);
        outputs = arena.allocate(JAVA_BYTE, capacity);
        seqValues = arena.allocate(JAVA_INT, Math.max(1, o.sequences()));
        for (int s = 0; s < o.sequences(); s++) seqValues.setAtIndex(JAVA_INT, s, s);
        long[] fields = {8, 16, 24, 32, 40, 48};
        MemorySegment[] values = {tok, MemorySegment.NULL, pos, nSeq, seqIds, outputs};
        for (int i = 0; i < fields.length; i++) batch.set(ADDRESS, fields[i], values[i]);
    }

    /**
     * llama_context_params lists rope_scaling_type, pooling_type, attention_type and flash_attn_type (all
     * -1 by default) just before rope_freq_base and rope_freq_scale (0.0f) and yarn_ext_factor (-1.0f);
     * earlier fields vary between versions, so the place is found from the defaults (and the tests check
     * it against llama.cpp's own report of the context it built).
     */
    public static long flashAttnOffset(MemorySegment defaults) {
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

    /** The last lines llama.cpp logged, for error messages. */
    public static String lastError() {
        String log = LlamaCppLibrary.drainLog().strip();
        int cut = log.lastIndexOf('\n', Math.max(0, log.length() - 400));
        return log.substring(Math.max(0, cut + 1));
    }

    /** Which CPU backend variant llama.cpp runs on. */
    public String cpuBackend() {
        return lib.cpuBackend();
    }

    public int vocabSize() {
        return vocabSize;
    }

    public int contextLength() {
        return contextLength;
    }

    /** n_ctx and threads as llama.cpp reports them for this context. */
    public int[] reportedContextAndThreads() {
        try {
            return new int[] {(int) lib.nCtx.invokeExact(ctx), (int) lib.nThreads.invokeExact(ctx)};
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
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

    /** Empties the KV cache of every sequence: the next decode starts at position 0. */
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
     * Decodes the tokens of sequence 0 in one llama_decode at the next positions. Returns the logits
     * of every token when {@code allLogits}, else of the last one only: {@code [outputs][vocab]}.
     */
    public float[][] decode(int[] tokens, boolean allLogits) {
        int n = tokens.length;
        if (n == 0 || position + n > contextLength) throw new IllegalArgumentException(n + " tokens at position " + position);
        for (int i = 0; i < n; i++) set(i, tokens[i], position + i, 0, allLogits || i == n - 1);
        run(n);
        position += n;
        float[][] logits = new float[allLogits ? n : 1][];
        for (int i = 0; i < logits.length; i++) logits[i] = logits(allLogits ? i : n - 1);
        return logits;
    }

    /**
     * One llama_decode of tokens[i] for sequence seqs[i] at positions[i], logits computed for the
     * entries flagged in {@code outputs} and left in llama.cpp (the bench does not read them, as
     * llama-bench and llama-batched-bench do not).
     */
    public void decode(int[] tokens, int[] positions, int[] seqs, boolean[] outputs) {
        int n = tokens.length;
        if (n == 0 || n > capacity) throw new IllegalArgumentException(n + " tokens for a batch of " + capacity);
        for (int i = 0; i < n; i++) set(i, tokens[i], positions[i], seqs[i], outputs[i]);
        run(n);
    }

    /** The logits of output i of the last decode (outputs count in batch order), as a copy. */
    public float[] logits(int i) {
        try {
            MemorySegment row = (MemorySegment) lib.getLogitsIth.invokeExact(ctx, i);
            if (row.equals(MemorySegment.NULL)) throw new IllegalStateException("no logits for output " + i);
            return row.reinterpret(4L * vocabSize).toArray(JAVA_FLOAT);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private void set(int i, int token, int position, int seq, boolean output) {
        tok.setAtIndex(JAVA_INT, i, token);
        pos.setAtIndex(JAVA_INT, i, position);
        nSeq.setAtIndex(JAVA_INT, i, 1);
        seqIds.setAtIndex(ADDRESS, i, seqValues.asSlice(4L * seq, 4));
        outputs.set(JAVA_BYTE, i, (byte) (output ? 1 : 0));
    }

    private void run(int n) {
        batch.set(JAVA_INT, 0, n);
        int rc;
        try {
            rc = (int) lib.decode.invokeExact(ctx, batch);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (rc != 0) throw new IllegalStateException("llama_decode returned " + rc + ": " + lastError());
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
