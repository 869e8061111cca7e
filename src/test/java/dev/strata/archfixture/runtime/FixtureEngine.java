package dev.strata.archfixture.runtime;

import dev.strata.archfixture.cli.FixtureCommand;
import dev.strata.archfixture.model.FixtureConfig;

/** Closes a model/runtime cycle and reaches into cli on purpose, for ArchitectureTest. */
public final class FixtureEngine {
    public int steps() {
        return new FixtureConfig().hashCode() + new FixtureCommand().hashCode();
    }
}
