package dev.strata.model;

import dev.strata.tensor.Tensor;

/**
 * The resident weights of one transformer block. Small vectors (norms, biases) are dequantized
 * to float[] at load; matrices stay as tensors. For MoE blocks the expert matrices are fetched
 * from the {@code WeightStore} per use, so they can be streamed.
 */
public record LayerWeights(
        float[] attnNorm,
        Tensor wq, Tensor wk, Tensor wv, Tensor wo,
        float[] bq, float[] bk, float[] bv,
        float[] qNorm, float[] kNorm,
        float[] ffnNorm,
        Tensor ffnGate, Tensor ffnUp, Tensor ffnDown,
        Tensor router,
        Tensor sharedGate, Tensor sharedUp, Tensor sharedDown, float[] sharedRouter) {
}
