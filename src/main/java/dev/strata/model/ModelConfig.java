package dev.strata.model;

import dev.strata.gguf.GgufFile;
import dev.strata.gguf.GgufFormatException;
import java.util.Set;

/**
 * Hyper-parameters of a llama-family model, read from GGUF metadata. Architecture differences are
 * fields (QKV bias, Q/K norm, rope layout, experts), not subclasses.
 */
public record ModelConfig(
        String architecture,
        int embeddingLength,
        int blockCount,
        int headCount,
        int headCountKv,
        int headDim,
        int feedForwardLength,
        int vocabSize,
        int contextLength,
        float rmsEps,
        float ropeFreqBase,
        float ropeFreqScale,
        int ropeDim,
        RopeLayout ropeLayout,
        boolean qkvBias,
        boolean qkNorm,
        int expertCount,
        int expertUsedCount,
        int expertFeedForwardLength,
        int sharedExpertFeedForwardLength,
        boolean normalizeExpertWeights) {

    public static final Set<String> SUPPORTED = Set.of("llama", "mistral", "qwen2", "qwen3", "qwen2moe", "qwen3moe");

    public boolean isMoe() {
        return expertCount > 0;
    }

    public boolean hasSharedExpert() {
        return sharedExpertFeedForwardLength > 0;
    }

    public int qDim() {
        return headCount * headDim;
    }

    public int kvDim() {
        return headCountKv * headDim;
    }

    /** A copy with a different number of experts per token (the fluid-architecture MoE knob). */
    public ModelConfig withExpertsPerToken(int k) {
        return new ModelConfig(architecture, embeddingLength, blockCount, headCount, headCountKv, headDim,
                feedForwardLength, vocabSize, contextLength, rmsEps, ropeFreqBase, ropeFreqScale, ropeDim, ropeLayout,
                qkvBias, qkNorm, expertCount, k, expertFeedForwardLength, sharedExpertFeedForwardLength,
                normalizeExpertWeights);
    }

    public static ModelConfig fromGguf(GgufFile f) {
        String arch = f.requireString("general.architecture");
        if (!SUPPORTED.contains(arch)) {
            throw new GgufFormatException(f.name(), "unsupported architecture '" + arch + "' (supported: " + String.join(", ", new java.util.TreeSet<>(SUPPORTED)) + ")");
        }
        String p = arch + ".";
        int embd = positive(f, p + "embedding_length", f.requireInt(p + "embedding_length"));
        int layers = positive(f, p + "block_count", f.requireInt(p + "block_count"));
        int heads = positive(f, p + "attention.head_count", f.requireInt(p + "attention.head_count"));
        int kvHeads = positive(f, p + "attention.head_count_kv", f.getInt(p + "attention.head_count_kv", heads));
        if (heads % kvHeads != 0) throw new GgufFormatException(f.name(), "head_count " + heads + " is not a multiple of head_count_kv " + kvHeads);
        int headDim = positive(f, p + "attention.key_length", f.getInt(p + "attention.key_length", embd / heads));
        int ffn = f.getInt(p + "feed_forward_length", 0);
        String[] tokens = f.getArray("tokenizer.ggml.tokens", String[].class);
        boolean vocabFromKey = f.has(p + "vocab_size");
        int vocab = f.getInt(p + "vocab_size", tokens != null ? tokens.length : 0);
        if (vocab <= 0 && !vocabFromKey) vocab = (int) f.requireTensor("token_embd.weight").shape()[1];
        int ctx = f.getInt(p + "context_length", 2048);
        float eps = f.getFloat(p + "attention.layer_norm_rms_epsilon", 1e-5f);
        float base = f.getFloat(p + "rope.freq_base", 10000f);
        float scale = 1f;
        String scalingType = f.getString(p + "rope.scaling.type", "none");
        if (scalingType.equals("linear")) scale = 1f / f.getFloat(p + "rope.scaling.factor", 1f);
        int ropeDim = f.getInt(p + "rope.dimension_count", headDim);
        RopeLayout layout = arch.startsWith("qwen") ? RopeLayout.NEOX : RopeLayout.NORM;
        int experts = f.getInt(p + "expert_count", 0);
        int used = f.getInt(p + "expert_used_count", 0);
        if (experts > 0 && (used <= 0 || used > experts)) throw new GgufFormatException(f.name(), "expert_used_count " + used + " is out of range 1.." + experts);
        int expertFfn = f.getInt(p + "expert_feed_forward_length", experts > 0 ? ffn : 0);
        int sharedFfn = arch.equals("qwen2moe") ? f.getInt(p + "expert_shared_feed_forward_length", ffn) : 0;
        boolean qkvBias = arch.equals("qwen2") || arch.equals("qwen2moe");
        boolean qkNorm = arch.equals("qwen3") || arch.equals("qwen3moe");
        boolean normW = !arch.equals("qwen2moe");
        if (experts == 0 && ffn <= 0) throw new GgufFormatException(f.name(), "missing required key '" + p + "feed_forward_length'");
        ModelConfig config = new ModelConfig(arch, embd, layers, heads, kvHeads, headDim, ffn, vocab, ctx, eps, base, scale, ropeDim,
                layout, qkvBias, qkNorm, experts, used, expertFfn, sharedFfn, normW);
        ModelConfigChecks.check(f, config, vocabFromKey);
        return config;
    }

    private static int positive(GgufFile f, String key, int v) {
        if (v <= 0) throw new GgufFormatException(f.name(), "key '" + key + "' must be positive, got " + v);
        return v;
    }
}
