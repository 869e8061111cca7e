package dev.strata.model;

import dev.strata.tensor.Tensor;

/**
 * The three matrices of one expert, valid until closed. A streaming store pins the cached copy
 * while it is open, so it cannot be evicted or overwritten while a kernel reads it.
 *
 * @param hit whether the expert was already resident (always true for a mapped store)
 * @param bytesRead bytes this acquisition read from disk (0 on a hit)
 * @param waitNanos time the caller waited for the read
 */
public record ExpertWeights(Tensor gate, Tensor up, Tensor down, boolean hit, long bytesRead, long waitNanos,
                            Runnable release) implements AutoCloseable {

    @Override
    public void close() {
        if (release != null) release.run();
    }
}
