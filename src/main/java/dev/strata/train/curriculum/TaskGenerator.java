package dev.strata.train.curriculum;

import java.util.random.RandomGenerator;

/** Draws one problem of a family; difficulty is the number of reasoning steps written in the target. */
@FunctionalInterface
public interface TaskGenerator {
    Problem generate(int difficulty, RandomGenerator rng);
}
