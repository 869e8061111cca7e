package dev.strata.tools.synth;

import dev.strata.gguf.GgufFile;
import dev.strata.gguf.GgufWriter;
import dev.strata.tools.quantize.TypeChoice;
import dev.strata.tensor.quant.GgmlType;
import dev.strata.tensor.quant.Quants;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a deterministic random-weight GGUF model of a given shape. Every tensor is generated from
 * its own seed (the model seed mixed with the tensor name) while it is written, so models far larger
 * than memory can be made, and the scales keep the next-token distribution peaked: embedding rows
 * share one norm, RMSNorm weights lie in [0.8, 1.2], matrices are N(0, 1/fan_in), and the output
 * projection is scaled so that logits spread over several units.
 */
public final class SynthModel {
    /** Norm of every embedding row; with tied embeddings it is also the logits' standard deviation. */
    static final float EMBEDDING_ROW_NORM = 8f;
    static final float OUTPUT_SCALE = 8f;
    /** Attention and FFN outputs outweigh the embedding in the residual, so tied models do not just echo their input. */
    static final float RESIDUAL_OUTPUT_SCALE = 3f;
    static final float ROUTER_SCALE = 3f;
    static final float BIAS_STD = 0.1f;
    private static final int CHUNK_ELEMENTS = 1 << 20;

    private final SynthShape shape;
    private final GgmlType matrixType;
    private final long seed;

    private final double routerSkew;

    public SynthModel(SynthShape shape, GgmlType matrixType, long seed) {
        this(shape, matrixType, seed, 0);
    }

    /**
     * {@code routerSkew} s > 0 gives MoE experts a Zipf-like popularity: in each layer the expert of
     * popularity rank r (a seeded permutation) has its router row scaled by (r + 1)^-s, and since
     * routing takes the top-k of the softmax, experts with wider logits are picked far more often.
     */
    public SynthModel(SynthShape shape, GgmlType matrixType, long seed, double routerSkew) {
        if (routerSkew < 0) throw new dev.strata.StrataException("router skew must be 0 or more, got " + routerSkew);
        this.shape = shape;
        this.matrixType = matrixType;
        this.seed = seed;
        this.routerSkew = routerSkew;
    }

    /** Writes the model; {@code vocabFrom} (may be null) supplies the tokenizer.* metadata and the vocabulary size. */
    public SynthShape write(Path out, GgufFile vocabFrom, String name) {
        SynthShape s = shape;
        GgufWriter w = new GgufWriter();
        String a = s.arch() + ".";
        w.putString("general.architecture", s.arch());
        w.putString("general.name", name);
        w.putU32("general.file_type", TypeChoice.fileType(matrixType));
        if (matrixType.isQuantized()) w.putU32("general.quantization_version", 2);
        if (vocabFrom != null) {
            String[] tokens = vocabFrom.getArray("tokenizer.ggml.tokens", String[].class);
            if (tokens != null) s = s.withVocab(tokens.length);
            vocabFrom.metadata().forEach((k, v) -> { if (k.startsWith("tokenizer.")) w.put(k, v); });
        }
        w.putU32(a + "vocab_size", s.vocab());
        w.putU32(a + "context_length", s.contextLength());
        w.putU32(a + "embedding_length", s.embd());
        w.putU32(a + "block_count", s.layers());
        w.putU32(a + "feed_forward_length", s.ffn());
        w.putU32(a + "attention.head_count", s.heads());
        w.putU32(a + "attention.head_count_kv", s.kvHeads());
        w.putU32(a + "attention.key_length", s.headDim());
        w.putU32(a + "attention.value_length", s.headDim());
        w.putU32(a + "rope.dimension_count", s.headDim());
        w.putF32(a + "rope.freq_base", s.ropeBase());
        w.putF32(a + "attention.layer_norm_rms_epsilon", s.rmsEps());
        if (s.isMoe()) {
            w.putU32(a + "expert_count", s.experts());
            w.putU32(a + "expert_used_count", s.expertsUsed());
            w.putU32(a + "expert_feed_forward_length", s.expertFfn());
            if (s.sharedFfn() > 0) w.putU32(a + "expert_shared_feed_forward_length", s.sharedFfn());
        }
        addTensors(w, s);
        w.write(out);
        return s;
    }

    private void addTensors(GgufWriter w, SynthShape s) {
        int e = s.embd(), q = s.heads() * s.headDim(), kv = s.kvHeads() * s.headDim();
        matrix(w, "token_embd.weight", e, s.vocab(), 1, Fill.unitRows(EMBEDDING_ROW_NORM));
        norm(w, "output_norm.weight", e);
        if (!s.tiedEmbeddings()) matrix(w, "output.weight", e, s.vocab(), 1, Fill.gaussian(OUTPUT_SCALE / (float) Math.sqrt(e)));
        if (s.llama3RopeScaling()) {
            float[] factors = s.llama3RopeFactors();
            w.addTensor("rope_freqs.weight", GgmlType.F32, new long[] {factors.length}, Quants.quantize(GgmlType.F32, factors, 0, factors.length));
        }
        boolean bias = s.arch().startsWith("qwen2"), qkNorm = s.arch().startsWith("qwen3");
        for (int i = 0; i < s.layers(); i++) {
            String p = "blk." + i + ".";
            norm(w, p + "attn_norm.weight", e);
            matrix(w, p + "attn_q.weight", e, q, 1, Fill.fanIn(e));
            matrix(w, p + "attn_k.weight", e, kv, 1, Fill.fanIn(e));
            matrix(w, p + "attn_v.weight", e, kv, 1, Fill.fanIn(e));
            matrix(w, p + "attn_output.weight", q, e, 1, Fill.residual(q));
            if (bias) {
                vector(w, p + "attn_q.bias", q, Fill.gaussian(BIAS_STD));
                vector(w, p + "attn_k.bias", kv, Fill.gaussian(BIAS_STD));
                vector(w, p + "attn_v.bias", kv, Fill.gaussian(BIAS_STD));
            }
            if (qkNorm) {
                norm(w, p + "attn_q_norm.weight", s.headDim());
                norm(w, p + "attn_k_norm.weight", s.headDim());
            }
            norm(w, p + "ffn_norm.weight", e);
            if (!s.isMoe()) {
                matrix(w, p + "ffn_gate.weight", e, s.ffn(), 1, Fill.fanIn(e));
                matrix(w, p + "ffn_up.weight", e, s.ffn(), 1, Fill.fanIn(e));
                matrix(w, p + "ffn_down.weight", s.ffn(), e, 1, Fill.residual(s.ffn()));
                continue;
            }
            int x = s.expertFfn(), n = s.experts();
            if (routerSkew > 0) w.addTensor(p + "ffn_gate_inp.weight", GgmlType.F32, new long[] {e, n}, skewedRouter(p + "ffn_gate_inp.weight", e, n));
            else tensor(w, p + "ffn_gate_inp.weight", GgmlType.F32, e, n, 1, Fill.gaussian(ROUTER_SCALE / (float) Math.sqrt(e)));
            matrix(w, p + "ffn_gate_exps.weight", e, x, n, Fill.fanIn(e));
            matrix(w, p + "ffn_up_exps.weight", e, x, n, Fill.fanIn(e));
            matrix(w, p + "ffn_down_exps.weight", x, e, n, Fill.residual(x));
            if (s.sharedFfn() > 0) {
                vector(w, p + "ffn_gate_inp_shexp.weight", e, Fill.fanIn(e));
                matrix(w, p + "ffn_gate_shexp.weight", e, s.sharedFfn(), 1, Fill.fanIn(e));
                matrix(w, p + "ffn_up_shexp.weight", e, s.sharedFfn(), 1, Fill.fanIn(e));
                matrix(w, p + "ffn_down_shexp.weight", s.sharedFfn(), e, 1, Fill.residual(s.sharedFfn()));
            }
        }
    }

    private byte[] skewedRouter(String name, int cols, int experts) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ name.hashCode());
        int[] rank = new int[experts];
        for (int i = 0; i < experts; i++) rank[i] = i;
        for (int i = experts - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = rank[i];
            rank[i] = rank[j];
            rank[j] = t;
        }
        float[] data = new float[cols * experts];
        for (int x = 0; x < experts; x++) {
            float std = (float) (ROUTER_SCALE / Math.sqrt(cols) * Math.pow(rank[x] + 1, -routerSkew));
            Fill.gaussian(std).row(r, data, x * cols, cols);
        }
        return Quants.quantize(GgmlType.F32, data, 0, data.length);
    }

    private void matrix(GgufWriter w, String name, int cols, int rows, int experts, Fill fill) {
        long[] dims = experts > 1 ? new long[] {cols, rows, experts} : new long[] {cols, rows};
        tensor(w, name, TypeChoice.forTensor(name, dims, matrixType, GgmlType.F32, true, false), cols, rows, experts, fill);
    }

    private void norm(GgufWriter w, String name, int n) {
        vector(w, name, n, (r, row, off, len) -> { for (int i = 0; i < len; i++) row[off + i] = 0.8f + 0.4f * (float) r.nextDouble(); });
    }

    private void vector(GgufWriter w, String name, int n, Fill fill) {
        tensor(w, name, GgmlType.F32, n, 1, 0, fill);
    }

    /** {@code experts == 0} makes a 1-D tensor. */
    private void tensor(GgufWriter w, String name, GgmlType type, int cols, int rows, int experts, Fill fill) {
        long[] dims = experts == 0 ? new long[] {cols} : experts == 1 ? new long[] {cols, rows} : new long[] {cols, rows, experts};
        long totalRows = (long) rows * Math.max(1, experts);
        long tensorSeed = seed * 0x9E3779B97F4A7C15L ^ name.hashCode();
        w.addTensor(name, type, dims, out -> stream(out, type, cols, totalRows, new SplittableRandom(tensorSeed), fill));
    }

    private static void stream(WritableByteChannel out, GgmlType type, int rowLength, long rows, SplittableRandom random, Fill fill) throws java.io.IOException {
        int chunkRows = Math.max(1, CHUNK_ELEMENTS / rowLength);
        float[] buf = new float[chunkRows * rowLength];
        for (long row = 0; row < rows; row += chunkRows) {
            int n = (int) Math.min(chunkRows, rows - row);
            for (int i = 0; i < n; i++) fill.row(random, buf, i * rowLength, rowLength);
            ByteBuffer bytes = ByteBuffer.wrap(Quants.quantize(type, buf, 0, n * rowLength));
            while (bytes.hasRemaining()) out.write(bytes);
        }
    }

    /** Fills one row of a tensor from the tensor's random stream. */
    @FunctionalInterface
    interface Fill {
        void row(SplittableRandom random, float[] dst, int off, int len);

        static Fill gaussian(float std) {
            return (r, dst, off, len) -> { for (int i = 0; i < len; i++) dst[off + i] = (float) (r.nextGaussian() * std); };
        }

        static Fill fanIn(int fanIn) {
            return gaussian((float) (1 / Math.sqrt(fanIn)));
        }

        static Fill residual(int fanIn) {
            return gaussian((float) (RESIDUAL_OUTPUT_SCALE / Math.sqrt(fanIn)));
        }

        static Fill unitRows(float norm) {
            return (r, dst, off, len) -> {
                double sum = 0;
                for (int i = 0; i < len; i++) {
                    double v = r.nextGaussian();
                    dst[off + i] = (float) v;
                    sum += v * v;
                }
                float scale = (float) (norm / Math.sqrt(sum));
                for (int i = 0; i < len; i++) dst[off + i] *= scale;
            };
        }
    }
}
