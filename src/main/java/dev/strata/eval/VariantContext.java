package dev.strata.eval;

import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;

/** An {@link ItemContext} for one variant and one item: sequences run the variant's plan and experts per token. */
final class VariantContext implements ItemContext {
    private final Engine engine;
    private final Variant variant;
    private final ForwardStats stats = new ForwardStats();
    private final long seed;

    VariantContext(Engine engine, Variant variant, long seed) {
        this.engine = engine;
        this.variant = variant;
        this.seed = seed;
    }

    @Override
    public Engine engine() {
        return engine;
    }

    @Override
    public Sequence newSequence(int contextLength) {
        return engine.newSequence(variant.layers(), variant.expertsPerToken(), contextLength);
    }

    @Override
    public ForwardStats stats() {
        return stats;
    }

    @Override
    public long seed() {
        return seed;
    }
}
