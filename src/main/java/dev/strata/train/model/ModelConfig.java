package dev.strata.train.model;

import dev.strata.StrataException;

/**
 * Shape of a trainable llama-architecture model. {@code experts == 0} gives the dense SwiGLU FFN;
 * otherwise every layer has a routed MoE FFN choosing {@code expertsUsed} of {@code experts}.
 */
public record ModelConfig(int vocabSize, int dim, int layers, int heads, int kvHeads, int ffnDim,
                          int contextLength, float ropeTheta, float normEps,
                          int experts, int expertsUsed, float auxLossCoef) {

    public ModelConfig {
        if (vocabSize < 2 || dim < 2 || layers < 1 || heads < 1 || kvHeads < 1 || ffnDim < 1 || contextLength < 1)
            throw new StrataException("model sizes must be positive");
        if (dim % heads != 0) throw new StrataException("dim " + dim + " is not a multiple of heads " + heads);
        if (heads % kvHeads != 0) throw new StrataException("heads " + heads + " is not a multiple of kv heads " + kvHeads);
        if (dim / heads > 256) throw new StrataException("head dimension " + dim / heads + " exceeds 256");
        if ((dim / heads) % 2 != 0) throw new StrataException("head dimension " + dim / heads + " must be even for RoPE");
        if (experts < 0 || (experts > 0 && (expertsUsed < 1 || expertsUsed > experts)))
            throw new StrataException("experts used must be between 1 and " + experts);
    }

    public static ModelConfig dense(int vocabSize, int dim, int layers, int heads, int kvHeads, int ffnDim, int contextLength) {
        return new ModelConfig(vocabSize, dim, layers, heads, kvHeads, ffnDim, contextLength, 10000f, 1e-5f, 0, 0, 0f);
    }

    public ModelConfig withExperts(int experts, int expertsUsed, float auxLossCoef) {
        return new ModelConfig(vocabSize, dim, layers, heads, kvHeads, ffnDim, contextLength, ropeTheta, normEps,
                experts, expertsUsed, auxLossCoef);
    }

    public int headDim() {
        return dim / heads;
    }

    public int qDim() {
        return heads * headDim();
    }

    public int kvDim() {
        return kvHeads * headDim();
    }

    public boolean isMoe() {
        return experts > 0;
    }

    public long numParams() {
        return ParameterLayout.of(this).totalSize();
    }

    /** Parameters touched per token: only {@code expertsUsed} experts' FFN weights count. */
    public long activeParams() {
        if (!isMoe()) return numParams();
        long perExpert = 3L * ffnDim * dim;
        return numParams() - (long) layers * (experts - expertsUsed) * perExpert;
    }

    /**
     * Training FLOPs per token (forward + backward, 3× the forward): 6 per active matmul weight,
     * excluding the embedding lookup, plus causal attention's score and value products.
     */
    public double trainingFlopsPerToken(int seqLen) {
        return trainingFlopsPerToken(seqLen, layers);
    }

    /** As {@link #trainingFlopsPerToken(int)} for a layer path of {@code layerApplications} layers (loop training). */
    public double trainingFlopsPerToken(int seqLen, int layerApplications) {
        return linearTrainingFlopsPerToken(layerApplications) + attentionTrainingFlopsPerToken(seqLen, layerApplications);
    }

    /** The linear layers' share of {@link #trainingFlopsPerToken(int, int)}: 6 per active matmul weight. */
    public double linearTrainingFlopsPerToken(int layerApplications) {
        long perLayer = (activeParams() - 2L * vocabSize * dim - dim) / layers - 2L * dim; // matmul weights of one block
        long matmulWeights = perLayer * layerApplications + (long) vocabSize * dim;      // plus the output head
        return 6.0 * matmulWeights;
    }

    /** Causal attention's share of {@link #trainingFlopsPerToken(int, int)}: Q·Kᵀ and P·V, forward and backward. */
    public double attentionTrainingFlopsPerToken(int seqLen, int layerApplications) {
        return 3.0 * 2.0 * 2.0 * layerApplications * qDim() * (seqLen + 1) / 2.0;
    }
}
