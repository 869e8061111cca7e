package dev.strata.tools.quantize;

import dev.strata.StrataException;
import dev.strata.gguf.GgufFile;
import dev.strata.tensor.quant.GgmlType;
import java.util.Arrays;
import java.util.Locale;

/**
 * llama-quantize's named K-quant mixes. Each has a base type, and per-tensor rules that spend more
 * bits where quality is most sensitive (attention V, some ffn_down layers, the output matrix),
 * following llama.cpp's {@code llama_tensor_get_type} for the llama/qwen families Strata runs.
 */
public enum QuantMix {
    Q4_K_S(GgmlType.Q4_K, 14),
    Q4_K_M(GgmlType.Q4_K, 15),
    Q5_K_S(GgmlType.Q5_K, 16),
    Q5_K_M(GgmlType.Q5_K, 17),
    Q6_K(GgmlType.Q6_K, 18);

    public final GgmlType base;
    /** llama.cpp's LLAMA_FTYPE_MOSTLY_* for general.file_type. */
    public final int fileType;

    QuantMix(GgmlType base, int fileType) {
        this.base = base;
        this.fileType = fileType;
    }

    /** The mix a name denotes (case-insensitive), or null when it names none. */
    public static QuantMix parse(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.name().equals(n)).findFirst().orElse(null);
    }

    /** A chooser for one model: it counts attention-V tensors as it goes, so call it in file order. */
    public Chooser chooser(GgufFile model) {
        String arch = model.getString("general.architecture", "llama");
        int layers = (int) model.getLong(arch + ".block_count", 0);
        int experts = (int) model.getLong(arch + ".expert_count", 0);
        long heads = model.getLong(arch + ".attention.head_count", 1), kvHeads = model.getLong(arch + ".attention.head_count_kv", heads);
        int gqa = kvHeads > 0 ? (int) (heads / kvHeads) : 1;
        int attentionV = (int) model.tensors().keySet().stream().filter(n -> n.contains("attn_v.weight") || n.contains("attn_qkv.weight")).count();
        return new Chooser(this, layers, experts, gqa, model.tensor("output.weight") != null, attentionV, arch.equals("llama") && layers == 80);
    }

    public static final class Chooser {
        private final QuantMix mix;
        private final int layers, experts, gqa, attentionV;
        private final boolean hasOutput, seventyB;
        private int attentionVSeen, ffnDownSeen;

        Chooser(QuantMix mix, int layers, int experts, int gqa, boolean hasOutput, int attentionV, boolean seventyB) {
            this.mix = mix;
            this.layers = layers;
            this.experts = experts;
            this.gqa = gqa;
            this.hasOutput = hasOutput;
            this.attentionV = attentionV;
            this.seventyB = seventyB;
        }

        /** The type of one tensor; tensors llama-quantize leaves alone keep {@code source}. */
        public GgmlType typeFor(String name, long[] shape, GgmlType source) {
            if (!name.endsWith("weight") || shape.length < 2 || name.endsWith("_norm.weight") || name.contains("ffn_gate_inp")
                    || name.equals("rope_freqs.weight")) {
                return source;
            }
            return TypeChoice.fitRow(chosen(name, shape), shape[0], source);
        }

        private GgmlType chosen(String name, long[] shape) {
            GgmlType t = mix.base;
            if (name.equals("output.weight") || (!hasOutput && name.equals("token_embd.weight"))) {
                return shape[0] % t.blockSize != 0 ? GgmlType.Q8_0 : GgmlType.Q6_K;
            }
            if (name.contains("attn_v.weight")) {
                int i = attentionVSeen++;
                if ((mix == Q4_K_M || mix == Q5_K_M) && useMoreBits(i, attentionV)) t = GgmlType.Q6_K;
                else if (mix == Q4_K_S && i < 4) t = GgmlType.Q5_K;
                if (seventyB && t == GgmlType.Q4_K) t = GgmlType.Q5_K;
                if (experts == 8) t = GgmlType.Q8_0;
            } else if (name.contains("attn_k.weight")) {
                if (experts == 8) t = GgmlType.Q8_0;
            } else if (name.contains("ffn_down")) {
                int i = experts > 1 ? layerOf(name) : ffnDownSeen++;
                if (mix == Q4_K_M && useMoreBits(i, layers)) t = GgmlType.Q6_K;
                else if (mix == Q5_K_M && useMoreBits(i, layers)) t = GgmlType.Q6_K;
                else if (mix == Q4_K_S && i < layers / 8) t = GgmlType.Q5_K;
            } else if (name.contains("attn_output.weight")) {
                if (experts == 8 && (mix == Q4_K_S || mix == Q4_K_M)) t = GgmlType.Q5_K;
            } else if (name.contains("attn_qkv.weight")) {
                if (mix == Q4_K_M || mix == Q5_K_S) t = GgmlType.Q5_K;
                else if (mix == Q5_K_M) t = GgmlType.Q6_K;
            }
            return t;
        }

        /** llama.cpp's choice of layers that get more bits: the first and last eighth, and every third in between. */
        static boolean useMoreBits(int layer, int layers) {
            return layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
        }

        private int layerOf(String name) {
            try {
                int layer = Integer.parseInt(name.split("\\.")[1]);
                if (layer < 0 || layer >= layers) throw new NumberFormatException();
                return layer;
            } catch (RuntimeException e) {
                throw new StrataException("cannot tell the layer of tensor '" + name + "' (expected blk.N.…)");
            }
        }
    }
}
