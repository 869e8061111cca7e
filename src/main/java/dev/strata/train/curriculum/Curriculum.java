package dev.strata.train.curriculum;

import dev.strata.StrataException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A deterministic stream of problems from one split: the same seed, split, families and
 * difficulty range always give the same sequence. Family and difficulty are drawn uniformly.
 */
public final class Curriculum {
    private static final int MAX_ATTEMPTS = 100_000;

    private final Split split;
    private final List<Family> families;
    private final int minDifficulty;
    private final int maxDifficulty;
    private final SplittableRandom rng;

    public Curriculum(long seed, Split split, List<Family> families, int minDifficulty, int maxDifficulty) {
        if (families.isEmpty()) throw new StrataException("a curriculum needs at least one family");
        if (minDifficulty < 1 || maxDifficulty < minDifficulty || maxDifficulty > Family.MAX_DIFFICULTY)
            throw new StrataException("difficulty range must satisfy 1 <= min <= max <= " + Family.MAX_DIFFICULTY
                    + ", got " + minDifficulty + ".." + maxDifficulty);
        this.split = split;
        this.families = List.copyOf(families);
        this.minDifficulty = minDifficulty;
        this.maxDifficulty = maxDifficulty;
        this.rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + split.ordinal());
    }

    public Problem next() {
        Family family = families.get(rng.nextInt(families.size()));
        int difficulty = minDifficulty + rng.nextInt(maxDifficulty - minDifficulty + 1);
        return sample(family, difficulty, split, rng);
    }

    public List<Problem> take(int count) {
        List<Problem> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(next());
        return out;
    }

    /** Draws problems until one belongs to the split; the split is decided by the prompt text alone. */
    public static Problem sample(Family family, int difficulty, Split split, RandomGenerator rng) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Problem p = family.generator().generate(difficulty, rng);
            if (Split.of(p.prompt()) == split) return p;
        }
        throw new StrataException("no " + split + " problem found for " + family.id() + " at difficulty " + difficulty);
    }

    public Split split() {
        return split;
    }

    public List<Family> families() {
        return families;
    }

    public int minDifficulty() {
        return minDifficulty;
    }

    public int maxDifficulty() {
        return maxDifficulty;
    }
}
