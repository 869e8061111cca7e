package dev.strata.research;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.eval.EvalItem;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The held-out split is a stable hash partition, and the search never scores a held-out item. */
class SealedSplitTest {
    @TempDir Path temp;

    @Test
    void partitionIsDisjointStableAndNearTheRequestedShare() {
        var trials = new SyntheticTrials(1000, (v, it) -> true, Map.of());
        SealedSplit a = new SealedSplit(trials.items(), 0.3, 7), b = new SealedSplit(trials.items().reversed(), 0.3, 7);
        List<EvalItem> heldA = a.unseal(), heldB = b.unseal();
        assertEquals(ids(heldA), ids(heldB), "the partition depends on the ids and the seed only, not on the order");
        assertEquals(1000, a.search().size() + heldA.size());
        Set<String> overlap = ids(a.search());
        overlap.retainAll(ids(heldA));
        assertTrue(overlap.isEmpty());
        // 300 expected; 3 binomial standard deviations are 43
        assertTrue(Math.abs(heldA.size() - 300) < 43, "held-out share " + heldA.size());
        SealedSplit other = new SealedSplit(trials.items(), 0.3, 8);
        assertFalse(ids(other.unseal()).equals(ids(heldA)), "another seed draws another partition");
    }

    @Test
    void sealedSplitRefusesHeldOutItemsUntilUnsealed() {
        var trials = new SyntheticTrials(50, (v, it) -> true, Map.of());
        SealedSplit s = new SealedSplit(trials.items(), 0.5, 1);
        EvalItem heldOut = trials.items().stream().filter(it -> s.isHeldOut(it.id())).findFirst().orElseThrow();
        s.checkSearch(s.search());
        assertThrows(IllegalStateException.class, () -> s.checkSearch(List.of(heldOut)));
        s.unseal();
        s.checkSearch(List.of(heldOut));
    }

    @Test
    void theLoopScoresHeldOutItemsOnlyInItsLastStepAndOnlyThere() {
        var trials = new SyntheticTrials(200, (v, it) -> SyntheticTrials.uniform(3, v.canonical(), it.id()) < 0.6, Map.of());
        var settings = ResearchLoopFixtures.settings(ResearchLoopFixtures.variants("a:1", "a:2", "a:3", "a:4", "a:5", "a:6", "a:7"), 3,
                temp.resolve("run"), false);
        new ResearchLoop(trials, settings).run();
        Set<String> heldOut = ids(new SealedSplit(trials.items(), 0.5, 3).unseal());
        List<List<String>> calls = trials.calls;
        assertTrue(calls.size() >= 3, "a sweep, at least one halving round and the held-out step: " + calls.size());
        for (List<String> search : calls.subList(0, calls.size() - 1))
            for (String id : search) assertFalse(heldOut.contains(id), "the search scored held-out item " + id);
        assertEquals(heldOut, new HashSet<>(calls.getLast()), "the last step scores exactly the held-out split");
    }

    private static Set<String> ids(List<EvalItem> items) {
        Set<String> s = new HashSet<>();
        for (EvalItem it : items) s.add(it.id());
        return s;
    }
}
