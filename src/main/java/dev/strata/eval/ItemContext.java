package dev.strata.eval;

import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;

/**
 * What a task needs to score an item under one variant: the engine, sequences built with the
 * variant's execution plan and experts per token, a stats object that collects this item's cost,
 * and the seed for anything random (sampling, few-shot draws).
 */
public interface ItemContext {
    Engine engine();

    /** A fresh sequence running the variant's plan; contextLength 0 means the engine's default. */
    Sequence newSequence(int contextLength);

    /** Pass this to every forward pass and generation so the item's cost is counted. */
    ForwardStats stats();

    long seed();
}
