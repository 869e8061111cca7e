package dev.strata.archfixture.model;

import dev.strata.archfixture.runtime.FixtureEngine;

/** Breaks "model knows no runtime" on purpose, for ArchitectureTest. */
public final class FixtureConfig {
    public int layers(FixtureEngine engine) {
        return engine.steps();
    }
}
