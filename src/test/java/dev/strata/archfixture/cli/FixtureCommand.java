package dev.strata.archfixture.cli;

/** A face class that core fixture code must not reach, for ArchitectureTest. */
public final class FixtureCommand {}
