package dev.strata.model;

import dev.strata.tensor.Tensor;

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

    default Tensor layer(int layer, String kind) {
        return tensor("blk." + layer + "." + kind);
    }

    @Override
    void close();
}
