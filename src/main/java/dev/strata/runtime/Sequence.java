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
        this.plan = plan;
        this.cache = new KvCache(plan.kvSlots(), config.kvDim(), contextLength);
        this.expertsPerToken = expertsPerToken;
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
