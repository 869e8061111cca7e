package dev.strata.model;

import dev.strata.gguf.GgufFile;

/**
 * Names of expert tensors. Standard GGUF keeps each kind as one 3-D tensor
 * {@code blk.L.ffn_gate_exps.weight}; the packed layout written by {@code strata repack} stores
 * every expert as three 2-D tensors {@code blk.L.ffn_gate_exp.E.weight} (then up, then down)
 * side by side, so one positional read fetches the whole expert.
 */
public final class ExpertNames {
    /** Metadata key marking the packed layout; its value is {@link #PACKED}. */
    public static final String LAYOUT_KEY = "strata.expert_layout";
    public static final String PACKED = "packed-v1";
    public static final String[] KINDS = {"ffn_gate_exps", "ffn_up_exps", "ffn_down_exps"};

    private ExpertNames() {}

    public static boolean isPacked(GgufFile f) {
        return PACKED.equals(f.getString(LAYOUT_KEY, null));
    }

    /** {@code ffn_gate_exps} of layer 3, expert 5 -> {@code blk.3.ffn_gate_exp.5.weight}. */
    public static String packed(int layer, String kind, int expert) {
        return "blk." + layer + "." + kind.substring(0, kind.length() - 1) + "." + expert + ".weight";
    }

    public static String stacked(int layer, String kind) {
        return "blk." + layer + "." + kind + ".weight";
    }

    /** True for a packed per-expert tensor name (its elements belong to one expert). */
    public static boolean isPackedExpert(String tensorName) {
        return tensorName.matches("blk\\.\\d+\\.ffn_(gate|up|down)_exp\\.\\d+\\.weight");
    }
}
