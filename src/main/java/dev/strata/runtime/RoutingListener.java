package dev.strata.runtime;

/** Observes MoE routing decisions (tests, expert statistics, prefetching). */
@FunctionalInterface
public interface RoutingListener {
    /**
     * Called once per token and MoE step with the router logits (length expertCount) and the
     * experts chosen, best first.
     */
    void routed(int layer, int position, float[] routerLogits, int[] chosen);
}
