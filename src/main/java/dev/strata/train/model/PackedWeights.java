package dev.strata.train.model;

import dev.strata.train.ops.Gemm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dense weight matrices packed for the GEMM, once per optimizer step instead of once per
 * micro-batch: a forward copy (B = Wᵀ) and an input-gradient copy (B = W). At d = 192 with one
 * sequence per micro-batch, repacking inside every product cost about a tenth of the step.
 * Token embeddings (a lookup) and MoE experts (small gathered batches) are not packed.
 */
public final class PackedWeights {
    private record Matrix(int offset, int rows, int cols, int forwardAt, int backwardAt) {}

    private final List<Matrix> matrices = new ArrayList<>();
    private final Map<Integer, Matrix> byOffset = new HashMap<>();
    private final float[] forward;
    private final float[] backward;

    public PackedWeights(ParameterLayout layout) {
        int f = 0, b = 0;
        for (ParameterLayout.Slice s : layout.slices()) {
            if (s.isNorm() || s.experts() > 0 || s.name().equals("token_embd.weight") || s.name().contains("ffn_gate_inp")) continue;
            Matrix m = new Matrix(s.offset(), s.rows(), s.cols(), f, b);
            matrices.add(m);
            byOffset.put(s.offset(), m);
            f += Gemm.packedSizeAll(s.cols(), s.rows());
            b += Gemm.packedSizeAll(s.rows(), s.cols());
        }
        forward = new float[f];
        backward = new float[b];
    }

    /** Packs matrices part, part + parts, ... so that several threads can share the work. */
    public void pack(float[] params, int part, int parts) {
        for (int i = part; i < matrices.size(); i += parts) {
            Matrix m = matrices.get(i);
            Gemm.packAll(forward, m.forwardAt, params, m.offset, 1, m.cols, m.cols, m.rows);
            Gemm.packAll(backward, m.backwardAt, params, m.offset, m.cols, 1, m.rows, m.cols);
        }
    }

    public int matrixCount() {
        return matrices.size();
    }

    boolean covers(int weightOffset) {
        return byOffset.containsKey(weightOffset);
    }

    float[] forwardBuffer() {
        return forward;
    }

    float[] backwardBuffer() {
        return backward;
    }

    int forwardOffset(int weightOffset) {
        return byOffset.get(weightOffset).forwardAt;
    }

    int backwardOffset(int weightOffset) {
        return byOffset.get(weightOffset).backwardAt;
    }
}
