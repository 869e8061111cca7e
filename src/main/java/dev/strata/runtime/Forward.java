package dev.strata.runtime;

import dev.strata.StrataException;
import dev.strata.weights.Model;
import dev.strata.model.ModelConfig;
import dev.strata.tensor.KernelProvider;

/**
 * The forward pass: embeds a batch of tokens, walks the sequence's execution plan step by step
 * (each step = one weight layer + its own KV slot), then projects to logits.
 * Stateless apart from the shared pool, so many sequences can use one Forward concurrently.
 */
public final class Forward {
    private final Model model;
    private final ModelConfig c;
    private final KernelProvider kernels;
    private final MatMul mm;
    private final Attention attention;
    private final FeedForward ffn;

    public Forward(Model model, KernelProvider kernels, WorkerPool pool) {
        this.model = model;
        this.c = model.config();
        this.kernels = kernels;
        this.mm = new MatMul(kernels, pool);
        this.attention = new Attention(c, new Rope(c, model.ropeFreqFactors()), mm);
        this.ffn = new FeedForward(c, mm, model.store());
    }

    public Model model() {
        return model;
    }

    public KernelProvider kernels() {
        return kernels;
    }

    /**
     * Feeds tokens at the sequence's current position and advances it. Returns the logits of the
     * last token, or of every token ([n][vocab] row-major) when allLogits is set.
     */
    public float[] forward(Sequence seq, int[] tokens, boolean allLogits, ForwardStats stats) {
        long t0 = System.nanoTime();
        int n = tokens.length, e = c.embeddingLength(), pos = seq.position();
        if (n == 0) throw new StrataException("no tokens to evaluate");
        seq.cache().ensureCapacity(pos + n);
        float[] x = new float[n * e];
        for (int t = 0; t < n; t++) {
            int id = tokens[t];
            if (id < 0 || id >= c.vocabSize()) throw new StrataException("token id " + id + " is outside the vocabulary (0-" + (c.vocabSize() - 1) + ")");
            kernels.dequantizeRow(model.tokenEmbedding(), id, x, t * e);
        }
        int k = seq.expertsPerToken() > 0 ? seq.expertsPerToken() : c.expertUsedCount();
        var steps = seq.plan().steps();
        for (int i = 0; i < steps.size(); i++) {
            ExecutionPlan.Step step = steps.get(i);
            var w = model.layer(step.weightLayer());
            int nextLayer = i + 1 < steps.size() ? steps.get(i + 1).weightLayer() : -1;
            attention.apply(w, x, n, pos, seq.cache(), step.kvSlot(), stats);
            ffn.apply(step.weightLayer(), w, nextLayer, nextLayer < 0 ? null : model.layer(nextLayer), x, n, seq, k, stats);
        }
        int first = allLogits ? 0 : n - 1, m = n - first;
        float[] normed = new float[m * e];
        for (int t = 0; t < m; t++) kernels.rmsnorm(normed, t * e, x, (first + t) * e, model.outputNorm(), e, c.rmsEps());
        float[] logits = new float[m * c.vocabSize()];
        mm.run(model.output(), normed, m, logits, stats);
        seq.advance(n);
        stats.tokens += n;
        stats.forwardCalls++;
        stats.nanos += System.nanoTime() - t0;
        return logits;
    }
}
