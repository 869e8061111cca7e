package dev.strata.research;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.eval.EvalItem;
import dev.strata.eval.Variant;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop (sweep, halving on the search split, Holm on the sealed held-out split) run 40
 * times, seeded, over candidates that are no better than the baseline by construction: the
 * "identity path sampled at temperature > 0 with other seeds" (each item right with the item's own
 * probability, fresh randomness per candidate) and label-shuffled candidates (the baseline's own
 * outcomes moved to other items). Picking the best of many on the search split is exactly what
 * fools RYS-style sweeps; the held-out test must keep one in at most 5 % of runs plus the binomial
 * margin. The first 20 runs again with one candidate truly 15 points better show the loop is not keeping
 * nothing by being blind: it must keep that one in most runs.
 */
class FalsePositiveControlTest {
    private static final int RUNS = 40;
    private static final int POWER_RUNS = 20;
    private static final int ITEMS = 400;
    @TempDir Path temp;

    @Test
    void nullCandidatesAreKeptInAtMostAlphaOfRunsAndARealGainIsFound() {
        int falseKeeps = 0, found = 0, falseKeepsWithTrue = 0;
        for (int run = 0; run < RUNS; run++) {
            if (!kept(run, false).isEmpty()) falseKeeps++;
            if (run >= POWER_RUNS) continue;
            List<String> withTrue = kept(run, true);
            if (withTrue.contains("better:1")) found++;
            if (withTrue.stream().anyMatch(v -> !v.equals("better:1"))) falseKeepsWithTrue++;
        }
        int bound = binomialUpperBound(RUNS, 0.05, 0.01);
        System.out.printf("false-positive control: %d of %d null runs kept a variant (bound %d); power: true +15 pp kept in %d of %d; null kept beside it in %d%n",
                falseKeeps, RUNS, bound, found, POWER_RUNS, falseKeepsWithTrue);
        assertTrue(falseKeeps <= bound, falseKeeps + " of " + RUNS + " null runs kept a variant; the bound is " + bound);
        assertTrue(falseKeepsWithTrue <= binomialUpperBound(POWER_RUNS, 0.05, 0.01), falseKeepsWithTrue + " runs kept a null variant beside the true one");
        // measured power is about 2/3 (27 of 40 with 200 held-out items); half is far above alpha and far from chance
        assertTrue(found >= POWER_RUNS / 2, "the true +15 pp variant was kept in only " + found + " of " + POWER_RUNS + " runs");
    }

    private List<String> kept(int run, boolean withTrueEffect) {
        long seed = 1000 + run;
        List<String> names = new ArrayList<>(List.of("temp:1", "temp:2", "temp:3", "temp:4", "shuffle:1", "shuffle:2", "shuffle:3", "shuffle:4"));
        if (withTrueEffect) names.add("better:1");
        Map<String, int[]> permutations = new HashMap<>();
        for (String n : names) {
            if (!n.startsWith("shuffle")) continue;
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < ITEMS; i++) idx.add(i);
            Collections.shuffle(idx, new Random(seed * 31 + n.hashCode()));
            permutations.put(n, idx.stream().mapToInt(Integer::intValue).toArray());
        }
        SyntheticTrials[] self = new SyntheticTrials[1];
        self[0] = new SyntheticTrials(ITEMS, (v, it) -> outcome(seed, v.canonical(), it, permutations, self[0].items), Map.of());
        var settings = ResearchLoopFixtures.settings(ResearchLoopFixtures.variants(names.toArray(String[]::new)), seed,
                temp.resolve(run + "-" + withTrueEffect), false);
        return new ResearchLoop(self[0], settings).run().kept().stream().map(Decision::variant).toList();
    }

    private static boolean outcome(long seed, String variant, EvalItem item, Map<String, int[]> permutations, List<EvalItem> items) {
        if (variant.startsWith("shuffle")) {
            int i = Integer.parseInt(item.id().substring("item-".length()));
            return outcome(seed, "base", items.get(permutations.get(variant)[i]), permutations, items);
        }
        double q = 0.2 + 0.6 * SyntheticTrials.uniform(seed, "difficulty", item.id());
        if (variant.startsWith("better")) q = Math.min(1, q + 0.15);
        return SyntheticTrials.uniform(seed, variant, item.id()) < q;
    }

    /** The smallest k with P(Binomial(n, p) > k) <= tail, from exact binomial sums. */
    static int binomialUpperBound(int n, double p, double tail) {
        MathContext mc = MathContext.DECIMAL64;
        BigDecimal bp = BigDecimal.valueOf(p), bq = BigDecimal.ONE.subtract(bp), cdf = BigDecimal.ZERO;
        for (int k = 0; k <= n; k++) {
            BigDecimal term = new BigDecimal(choose(n, k)).multiply(bp.pow(k, mc), mc).multiply(bq.pow(n - k, mc), mc);
            cdf = cdf.add(term, mc);
            if (BigDecimal.ONE.subtract(cdf).compareTo(BigDecimal.valueOf(tail)) <= 0) return k;
        }
        return n;
    }

    private static BigInteger choose(int n, int k) {
        BigInteger c = BigInteger.ONE;
        for (int i = 1; i <= k; i++) c = c.multiply(BigInteger.valueOf(n - k + i)).divide(BigInteger.valueOf(i));
        return c;
    }

    @Test
    void binomialBoundMatchesHandComputedTail() {
        // P(Bin(40, 0.05) >= 7) = 0.00363..., P(>= 6) = 0.01419...: the bound at 1 % is 6
        assertTrue(binomialUpperBound(40, 0.05, 0.01) == 6);
        assertTrue(binomialUpperBound(40, 0.05, 0.02) == 5);
    }
}
