package dev.strata.archfixture.tensor.quant;

import dev.strata.archfixture.tensor.FixtureKernel;

/** The other side of the tensor/tensor.quant cycle, for ArchitectureTest. */
public final class FixtureFormat {
    public int bytes() {
        return new FixtureKernel().hashCode();
    }
}
