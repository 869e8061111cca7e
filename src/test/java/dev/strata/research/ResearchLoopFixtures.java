package dev.strata.research;

import dev.strata.eval.Variant;
import java.nio.file.Path;
import java.util.List;

/** Settings shared by the synthetic research tests. */
final class ResearchLoopFixtures {
    private ResearchLoopFixtures() {}

    static ResearchLoop.Settings settings(List<Variant> candidates, long seed, Path out, boolean resume) {
        return new ResearchLoop.Settings(Variant.BASE, candidates, 0.5, seed, 16, 2, 3, 0,
                new DecisionRule(DecisionRule.Correction.HOLM, 0.05, seed), null, out, resume, "test");
    }

    static List<Variant> variants(String... specs) {
        return java.util.Arrays.stream(specs).map(Variant::parse).toList();
    }
}
