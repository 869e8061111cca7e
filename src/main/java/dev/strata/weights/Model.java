package dev.strata.weights;

import dev.strata.gguf.GgufFile;
import dev.strata.gguf.GgufFormatException;
import dev.strata.tensor.quant.GgmlType;
import dev.strata.tensor.KernelProvider;
import dev.strata.tensor.Tensor;
import java.nio.file.Path;
import dev.strata.model.ExpertNames;
import dev.strata.model.LayerWeights;
import dev.strata.model.ModelConfig;

/** A loaded model: config plus weights. Immutable and shared by every sequence that runs it. */
public final class Model implements AutoCloseable {
    private final ModelConfig config;
    private final WeightStore store;
    private final LayerWeights[] layers;
    private final Tensor tokenEmbedding;
    private final float[] outputNorm;
    private final Tensor output;
    private final float[] ropeFreqFactors;

    private Model(ModelConfig config, WeightStore store, KernelProvider k) {
        this.config = config;
        this.store = store;
        GgufFile f = store.file();
        this.tokenEmbedding = require(store, "token_embd.weight");
        checkShape(f, tokenEmbedding, config.embeddingLength(), config.vocabSize());
        this.outputNorm = vector(store, "output_norm.weight", config.embeddingLength(), k, true);
        Tensor out = store.tensor("output.weight");
        this.output = store.matmulWeight(out != null ? out : tokenEmbedding);
        checkShape(f, output, config.embeddingLength(), config.vocabSize());
        Tensor freqs = store.tensor("rope_freqs.weight");
        this.ropeFreqFactors = freqs == null ? null : vector(store, "rope_freqs.weight", config.ropeDim() / 2, k, true);
        this.layers = new LayerWeights[config.blockCount()];
        for (int i = 0; i < layers.length; i++) layers[i] = loadLayer(i, k);
        for (Tensor t : f.tensors().values()) {
            if (!t.type().isSupported()) throw new GgufFormatException(f.name(), "tensor '" + t.name() + "' has type " + t.type() + ", which Strata does not support yet");
        }
    }

    /** Opens a GGUF file with a memory-mapped weight store. */
    public static Model load(Path path, KernelProvider kernels) {
        return load(path, kernels, dev.strata.gguf.LoadOptions.DEFAULT);
    }

    /** As {@link #load(Path, KernelProvider)}, mapped or read into memory and optionally locked, per {@code options}. */
    public static Model load(Path path, KernelProvider kernels, dev.strata.gguf.LoadOptions options) {
        GgufFile f = GgufFile.open(path, options);
        try {
            return new Model(ModelConfig.fromGguf(f), new MappedWeightStore(f, kernels, !options.mlock()), kernels);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    public static Model load(WeightStore store, KernelProvider kernels) {
        return new Model(ModelConfig.fromGguf(store.file()), store, kernels);
    }

    private LayerWeights loadLayer(int i, KernelProvider k) {
        ModelConfig c = config;
        String p = "blk." + i + ".";
        int e = c.embeddingLength();
        Tensor wq = matmul(p + "attn_q.weight");
        Tensor wk = matmul(p + "attn_k.weight");
        Tensor wv = matmul(p + "attn_v.weight");
        Tensor wo = matmul(p + "attn_output.weight");
        checkShape(store.file(), wq, e, c.qDim());
        checkShape(store.file(), wk, e, c.kvDim());
        checkShape(store.file(), wv, e, c.kvDim());
        checkShape(store.file(), wo, c.qDim(), e);
        boolean bias = c.qkvBias();
        float[] bq = bias ? vector(store, p + "attn_q.bias", c.qDim(), k, true) : null;
        float[] bk = bias ? vector(store, p + "attn_k.bias", c.kvDim(), k, true) : null;
        float[] bv = bias ? vector(store, p + "attn_v.bias", c.kvDim(), k, true) : null;
        float[] qn = c.qkNorm() ? vector(store, p + "attn_q_norm.weight", c.headDim(), k, true) : null;
        float[] kn = c.qkNorm() ? vector(store, p + "attn_k_norm.weight", c.headDim(), k, true) : null;
        float[] attnNorm = vector(store, p + "attn_norm.weight", e, k, true);
        float[] ffnNorm = vector(store, p + "ffn_norm.weight", e, k, true);
        if (!c.isMoe()) {
            Tensor gate = matmul(p + "ffn_gate.weight"), up = matmul(p + "ffn_up.weight"), down = matmul(p + "ffn_down.weight");
            checkShape(store.file(), gate, e, c.feedForwardLength());
            checkShape(store.file(), up, e, c.feedForwardLength());
            checkShape(store.file(), down, c.feedForwardLength(), e);
            return new LayerWeights(attnNorm, wq, wk, wv, wo, bq, bk, bv, qn, kn, ffnNorm, gate, up, down, null, null, null, null, null);
        }
        Tensor router = require(store, p + "ffn_gate_inp.weight");
        checkShape(store.file(), router, e, c.expertCount());
        boolean packed = ExpertNames.isPacked(store.file());
        for (String kind : ExpertNames.KINDS) {
            boolean down = kind.startsWith("ffn_down");
            long[] want = {down ? c.expertFeedForwardLength() : e, down ? e : c.expertFeedForwardLength(), c.expertCount()};
            if (packed) {
                for (int x = 0; x < c.expertCount(); x++) checkShape(store.file(), require(store, ExpertNames.packed(i, kind, x)), want[0], want[1]);
                continue;
            }
            Tensor t = require(store, p + kind + ".weight");
            if (!java.util.Arrays.equals(t.shape(), want)) {
                throw new GgufFormatException(store.file().name(), "tensor '" + t.name() + "' has shape " + java.util.Arrays.toString(t.shape()) + ", expected " + java.util.Arrays.toString(want));
            }
        }
        Tensor sg = null, su = null, sd = null;
        float[] sr = null;
        if (c.hasSharedExpert()) {
            sg = matmul(p + "ffn_gate_shexp.weight");
            su = matmul(p + "ffn_up_shexp.weight");
            sd = matmul(p + "ffn_down_shexp.weight");
            checkShape(store.file(), sg, e, c.sharedExpertFeedForwardLength());
            checkShape(store.file(), sd, c.sharedExpertFeedForwardLength(), e);
            sr = vector(store, p + "ffn_gate_inp_shexp.weight", e, k, true);
        }
        return new LayerWeights(attnNorm, wq, wk, wv, wo, bq, bk, bv, qn, kn, ffnNorm, null, null, null, router, sg, su, sd, sr);
    }

    /** A weight the forward pass multiplies by: as the store hands it to the kernels (maybe repacked). */
    private Tensor matmul(String name) {
        return store.matmulWeight(require(store, name));
    }

    private static Tensor require(WeightStore s, String name) {
        Tensor t = s.tensor(name);
        if (t == null) throw new GgufFormatException(s.file().name(), "missing required tensor '" + name + "'");
        return t;
    }

    private static void checkShape(GgufFile f, Tensor t, long cols, long rows) {
        if (t.shape().length != 2 || t.shape()[0] != cols || t.shape()[1] != rows) {
            throw new GgufFormatException(f.name(), "tensor '" + t.name() + "' has shape " + java.util.Arrays.toString(t.shape()) + ", expected [" + cols + ", " + rows + "]");
        }
    }

    private static float[] vector(WeightStore s, String name, int n, KernelProvider k, boolean required) {
        Tensor t = required ? require(s, name) : s.tensor(name);
        if (t == null) return null;
        if (t.elements() != n) throw new GgufFormatException(s.file().name(), "tensor '" + name + "' has " + t.elements() + " elements, expected " + n);
        float[] out = new float[n];
        if (t.type() == GgmlType.F32) {
            for (int i = 0; i < n; i++) out[i] = t.data().getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, i);
        } else {
            Tensor row = new Tensor(name, t.type(), new long[] {n}, t.data());
            k.dequantizeRow(row, 0, out, 0);
        }
        return out;
    }

    public ModelConfig config() { return config; }
    public WeightStore store() { return store; }
    public LayerWeights layer(int i) { return layers[i]; }
    public Tensor tokenEmbedding() { return tokenEmbedding; }
    public float[] outputNorm() { return outputNorm; }
    public Tensor output() { return output; }
    public float[] ropeFreqFactors() { return ropeFreqFactors; }

    /** Total parameter count (elements of every tensor in the file). */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : store.file().tensors().values()) n += t.elements();
        return n;
    }

    /**
     * Parameters active per token: everything except the unselected experts. Embeddings count in
     * full, as published "active parameter" figures (e.g. Qwen3-30B-A3B) do.
     */
    public long activeParameterCount(int expertsPerToken) {
        long n = 0;
        for (Tensor t : store.file().tensors().values()) n += activeElements(t, expertsPerToken);
        return n;
    }

    /** Parameters one token runs through on a layer path: a weight layer counts once per plan step that runs it. */
    public long activeParameterCount(int expertsPerToken, int[] layerPath) {
        int[] runs = new int[config.blockCount()];
        for (int l : layerPath) runs[l]++;
        long n = 0;
        for (Tensor t : store.file().tensors().values()) {
            int layer = blockIndex(t.name());
            n += activeElements(t, expertsPerToken) * (layer < 0 || layer >= runs.length ? 1 : runs[layer]);
        }
        return n;
    }

    private long activeElements(Tensor t, int expertsPerToken) {
        if (ExpertNames.isPackedExpert(t.name())) return t.elements() * expertsPerToken / config.expertCount();
        return t.name().contains("_exps.") ? t.elements() / t.shape()[2] * expertsPerToken : t.elements();
    }

    /** N for a tensor named blk.N.*, else -1. */
    public static int blockIndex(String name) {
        if (!name.startsWith("blk.")) return -1;
        int dot = name.indexOf('.', 4);
        try {
            return Integer.parseInt(name.substring(4, dot < 0 ? name.length() : dot));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
