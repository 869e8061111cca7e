package dev.strata.train.export;

import dev.strata.StrataException;
import dev.strata.gguf.GgufWriter;
import dev.strata.tensor.quant.GgmlType;
import dev.strata.train.model.ModelConfig;
import dev.strata.train.model.ParameterLayout;
import dev.strata.train.tokenize.TrainTokenizer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Writes a trained model as a GGUF file of architecture {@code llama} with fp32 tensors, the
 * tokenizer as a byte-level "gpt2" vocabulary (see {@link GgufVocab}) and the curriculum's prompt
 * convention under {@code strata.curriculum.*}, so llama.cpp and Strata's engine both load it and
 * tokenize curriculum text exactly as the trainer did.
 */
public final class GgufExporter {
    private GgufExporter() {}

    public static void export(ModelConfig c, float[] params, TrainTokenizer tokenizer, CurriculumFormat format,
                              String name, Path out) {
        ParameterLayout layout = ParameterLayout.of(c);
        if (params.length != layout.totalSize())
            throw new StrataException("parameter buffer has " + params.length + " floats, the model needs " + layout.totalSize());
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", "llama");
        w.putString("general.name", name);
        w.putU32("general.file_type", 0); // all F32
        String p = "llama.";
        w.putU32(p + "context_length", c.contextLength());
        w.putU32(p + "embedding_length", c.dim());
        w.putU32(p + "block_count", c.layers());
        w.putU32(p + "feed_forward_length", c.ffnDim());
        w.putU32(p + "attention.head_count", c.heads());
        w.putU32(p + "attention.head_count_kv", c.kvHeads());
        w.putU32(p + "rope.dimension_count", c.headDim());
        w.putF32(p + "rope.freq_base", c.ropeTheta());
        w.putF32(p + "attention.layer_norm_rms_epsilon", c.normEps());
        w.putU32(p + "vocab_size", c.vocabSize());
        if (c.isMoe()) {
            w.putU32(p + "expert_count", c.experts());
            w.putU32(p + "expert_used_count", c.expertsUsed());
        }
        GgufVocab.write(w, tokenizer);
        format.write(w);
        for (ParameterLayout.Slice s : layout.slices()) {
            long[] shape = s.isNorm() ? new long[] {s.cols()}
                    : s.experts() > 0 ? new long[] {s.cols(), s.rows(), s.experts()}
                    : new long[] {s.cols(), s.rows()};
            w.addTensor(s.name(), GgmlType.F32, shape, littleEndian(params, s.offset(), s.size()));
        }
        w.write(out);
    }

    private static byte[] littleEndian(float[] values, int offset, int count) {
        ByteBuffer buf = ByteBuffer.allocate(count * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values, offset, count);
        return buf.array();
    }
}
