package dev.strata.weights;

import dev.strata.tensor.Tensor;
import dev.strata.model.ExpertWeights;

/**
 * How the forward pass reaches weights: by name, or by (layer, kind, expert). The mapped store
 * slices one memory-mapped file; a streaming store can read experts on demand into a bounded
 * cache without the forward pass changing.
 */
public interface WeightStore extends AutoCloseable {

    /** A tensor by its full GGUF name, or null if absent. */
    Tensor tensor(String name);

    /** Expert e of layer tensor {@code blk.<layer>.<kind>.weight} (a 3-D tensor sliced along ne2). */
    Tensor expert(int layer, String kind, int expert);

    /** The GGUF file the weights come from, for metadata. */
    dev.strata.gguf.GgufFile file();

    /**
     * Expert e of a layer with its gate, up and down matrices, held until the result is closed.
     * Mapped stores return views; a streaming store pins its cached copy meanwhile.
     */
    default ExpertWeights acquireExpert(int layer, int expert) {
        return new ExpertWeights(expert(layer, "ffn_gate_exps", expert), expert(layer, "ffn_up_exps", expert),
                expert(layer, "ffn_down_exps", expert), true, 0, 0, null);
    }

    /** Whether {@link #prefetch} does anything (the forward pass skips predicting experts otherwise). */
    default boolean prefetches() {
        return false;
    }

    /** A hint that these experts of a layer will be needed soon; must not change any result. */
    default void prefetch(int layer, int[] experts) {}

    /**
     * t as the matmuls will read it: a store that knows its kernels may attach a copy in their
     * preferred layout ({@link dev.strata.tensor.KernelProvider#repack}) that it owns until close.
     */
    default Tensor matmulWeight(Tensor t) {
        return t;
    }

    default Tensor layer(int layer, String kind) {
        return tensor("blk." + layer + "." + kind);
    }

    @Override
    void close();
}
