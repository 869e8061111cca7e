package dev.strata.model;

import dev.strata.gguf.GgufFile;
import dev.strata.gguf.GgufFormatException;
import dev.strata.tensor.Tensor;
import java.util.Arrays;

/**
 * Range checks of the numeric metadata against each other and against the tensor shapes, run
 * before anything is allocated from them: a block count of 2^31-1 must be a one-line error, not an
 * OutOfMemoryError, and a NaN epsilon or an odd rope dimension must not load and produce garbage.
 */
final class ModelConfigChecks {
    private ModelConfigChecks() {}

    static void check(GgufFile f, ModelConfig c, boolean vocabFromKey) {
        String p = c.architecture() + ".";
        long blocks = blockTensorCount(f);
        if (c.blockCount() > blocks) {
            throw error(f, p + "block_count is " + c.blockCount() + " but the file holds tensors for " + blocks + " blocks");
        }
        if (vocabFromKey && c.vocabSize() <= 0) throw error(f, p + "vocab_size must be positive, got " + c.vocabSize());
        if (c.contextLength() <= 0) throw error(f, p + "context_length must be positive, got " + c.contextLength());
        finitePositive(f, p + "attention.layer_norm_rms_epsilon", c.rmsEps());
        finitePositive(f, p + "rope.freq_base", c.ropeFreqBase());
        finitePositive(f, p + "rope.scaling.factor (as a frequency scale)", c.ropeFreqScale());
        int rope = c.ropeDim();
        if (rope <= 0 || rope % 2 != 0 || rope > c.headDim()) {
            throw error(f, p + "rope.dimension_count " + rope + " must be even and in 2.." + c.headDim() + " (the head dimension)");
        }
        long q = (long) c.headCount() * c.headDim(), kv = (long) c.headCountKv() * c.headDim();
        if (q > Integer.MAX_VALUE) throw error(f, "head_count " + c.headCount() + " x head dimension " + c.headDim() + " is implausibly large");
        expectShape(f, "token_embd.weight", c.embeddingLength(), c.vocabSize());
        expectShape(f, "blk.0.attn_q.weight", c.embeddingLength(), q);
        expectShape(f, "blk.0.attn_k.weight", c.embeddingLength(), kv);
        if (c.isMoe() && c.expertFeedForwardLength() <= 0) throw error(f, p + "expert_feed_forward_length must be positive, got " + c.expertFeedForwardLength());
    }

    private static long blockTensorCount(GgufFile f) {
        return f.tensors().keySet().stream().filter(n -> n.startsWith("blk.")).map(n -> n.substring(4, Math.max(4, n.indexOf('.', 4))))
                .distinct().count();
    }

    private static void finitePositive(GgufFile f, String key, float v) {
        if (!Float.isFinite(v) || v <= 0) throw error(f, key + " must be a finite positive number, got " + v);
    }

    /** Only when the tensor exists; a missing one is reported by name when the weights load. */
    private static void expectShape(GgufFile f, String name, long cols, long rows) {
        Tensor t = f.tensor(name);
        if (t == null) return;
        if (t.shape().length != 2 || t.shape()[0] != cols || t.shape()[1] != rows) {
            throw error(f, "tensor '" + name + "' has shape " + Arrays.toString(t.shape()) + ", but the metadata implies [" + cols + ", " + rows + "]");
        }
    }

    private static GgufFormatException error(GgufFile f, String problem) {
        return new GgufFormatException(f.name(), problem);
    }
}
