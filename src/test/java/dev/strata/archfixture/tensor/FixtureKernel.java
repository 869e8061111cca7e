package dev.strata.archfixture.tensor;

import dev.strata.archfixture.tensor.quant.FixtureFormat;

/** One side of a tensor/tensor.quant cycle, for ArchitectureTest. */
public final class FixtureKernel {
    public int blockSize(FixtureFormat format) {
        return format.bytes();
    }
}
