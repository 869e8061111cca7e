package dev.strata.eval.yaml;

import dev.strata.eval.ItemContext;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;

/** The smallest ItemContext: the engine's own plan, one stats object, a fixed seed (the runner lives elsewhere). */
public record LocalItemContext(Engine engine, ForwardStats stats, long seed) implements ItemContext {
    public LocalItemContext(Engine engine) {
        this(engine, new ForwardStats(), 1234);
    }

    @Override
    public Sequence newSequence(int contextLength) {
        return engine.newSequence(null, 0, contextLength);
    }
}
