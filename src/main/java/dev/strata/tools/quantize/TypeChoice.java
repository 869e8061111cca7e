package dev.strata.tools.quantize;

import dev.strata.StrataException;
import dev.strata.tensor.quant.GgmlType;
import java.util.EnumSet;
import java.util.Set;

/** Which type each tensor gets when a model is quantized to a target type, following llama-quantize's basic rules. */
public final class TypeChoice {
    private TypeChoice() {}

    /** Types Strata can write (the ones with a reference quantizer). */
    public static final Set<GgmlType> WRITABLE = EnumSet.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0,
            GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K);

    public static GgmlType parseWritable(String name) {
        GgmlType t;
        try {
            t = GgmlType.parse(name);
        } catch (StrataException e) {
            t = null;
        }
        if (t == null || !WRITABLE.contains(t)) {
            throw new StrataException("unknown or unsupported type '" + name + "' (supported: " + String.join(", ", WRITABLE.stream().map(Enum::name).toList()) + ")");
        }
        return t;
    }

    /**
     * The type for one tensor. 1-D tensors and MoE routers stay in {@code sourceType}; unless pure, the output
     * matrix (or the token embedding when it doubles as output) gets Q6_K, or Q8_0 when its rows are not a
     * multiple of 256. Rows that do not fit the block size fall back as llama.cpp does: Q4_K→Q5_0, Q5_K→Q5_1,
     * Q6_K→Q8_0, and a row that fits no block keeps {@code sourceType}.
     */
    public static GgmlType forTensor(String name, long[] shape, GgmlType target, GgmlType sourceType, boolean pure, boolean hasOutput) {
        if (shape.length < 2 || name.endsWith("ffn_gate_inp.weight")) return sourceType;
        long rowLength = shape[0];
        GgmlType t = target;
        boolean isOutput = name.equals("output.weight") || (!hasOutput && name.equals("token_embd.weight"));
        if (!pure && isOutput && target.isQuantized() && target != GgmlType.Q8_0) {
            t = rowLength % 256 == 0 ? GgmlType.Q6_K : GgmlType.Q8_0;
        }
        return fitRow(t, rowLength, sourceType);
    }

    /** llama-quantize's fallback when rows do not fit the block: Q4_K→Q5_0, Q5_K→Q5_1, Q6_K→Q8_0, else the source type. */
    static GgmlType fitRow(GgmlType t, long rowLength, GgmlType sourceType) {
        if (rowLength % t.blockSize != 0) {
            t = switch (t) {
                case Q4_K -> GgmlType.Q5_0;
                case Q5_K -> GgmlType.Q5_1;
                case Q6_K -> GgmlType.Q8_0;
                default -> t;
            };
        }
        return rowLength % t.blockSize == 0 ? t : sourceType;
    }

    /** llama.cpp's general.file_type (LLAMA_FTYPE_*) for a whole-model target type. */
    public static int fileType(GgmlType target) {
        return switch (target) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q4_1 -> 3;
            case Q8_0 -> 7;
            case Q5_0 -> 8;
            case Q5_1 -> 9;
            case Q4_K -> 15; // Q4_K_M is the closest named ftype
            case Q5_K -> 17; // Q5_K_M
            case Q6_K -> 18;
            case BF16 -> 32;
            default -> throw new StrataException("no file type for " + target);
        };
    }
}
