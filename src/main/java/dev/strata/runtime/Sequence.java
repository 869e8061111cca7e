package dev.strata.runtime;

import dev.strata.model.ModelConfig;

/**
 * Per-request state: the execution plan, a KV cache with one slot per plan step, and the number
 * of positions already in the cache. Sequences with different plans share one loaded model.
 */
public final class Sequence {
    private final ExecutionPlan plan;
    private final KvCache cache;
    private final int expertsPerToken;
    private int position;
    private RoutingListener routingListener;

    public Sequence(ModelConfig config, ExecutionPlan plan, int contextLength, int expertsPerToken) {
        this(config, plan, contextLength, expertsPerToken, null);
    }

    /** With KV pages from {@code pages} (an engine's, see {@link Engine#newSequence}); null: pages of its own. */
    public Sequence(ModelConfig config, ExecutionPlan plan, int contextLength, int expertsPerToken, KvPagePool pages) {
        this.plan = plan;
        this.cache = new KvCache(plan.kvSlots(), config.kvDim(), contextLength, pages);
        this.expertsPerToken = expertsPerToken;
    }

    /**
     * Hands the KV pages back for the next sequence (when they came from a pool); the sequence is done and must
     * not be fed again. Optional: a sequence that is simply dropped gives them back when it is collected.
     */
    public void release() {
        position = 0;
        cache.release();
    }

    public ExecutionPlan plan() {
        return plan;
    }

    public KvCache cache() {
        return cache;
    }

    public int expertsPerToken() {
        return expertsPerToken;
    }

    public RoutingListener routingListener() {
        return routingListener;
    }

    public Sequence routingListener(RoutingListener listener) {
        this.routingListener = listener;
        return this;
    }

    public int position() {
        return position;
    }

    void advance(int n) {
        position += n;
    }

    /** Forgets everything after {@code n} positions (the cache contents beyond are simply overwritten later). */
    public void truncate(int n) {
        if (n < 0 || n > position) throw new IllegalArgumentException("cannot truncate to " + n + " of " + position);
        position = n;
    }
}
