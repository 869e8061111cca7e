package dev.strata.research;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.train.TrainRecipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --space train} end to end on tiny models (one layer, width 32, 60 steps): a grid of two
 * candidates, each trained with three seeds beside the baseline's three, through a simulated
 * crash after the fourth model was written but before its ledger line; the resumed run trains only
 * the five models it lacks. A candidate with learning rate 0 is worse by construction (it never
 * leaves its random initialisation) and must be discarded.
 */
class TrainSpaceTest {
    private static final TrainRecipe BASE = TrainRecipe.DEFAULT.with("dim=32,layers=1,heads=2,seq=48,lr=1e-2");
    @TempDir Path temp;

    private TrainResearch research(Path out, boolean resume) {
        var rule = new DecisionRule(DecisionRule.Correction.HOLM, 0.05, 1);
        return new TrainResearch(new TrainResearch.Settings(BASE, BASE.grid("lr=0,3e-2"), "comparison", 1, 1, 30, 3, 60, 0, 1, "panama", 0.5, 0, 1,
                rule, out, resume, "test"));
    }

    @Test
    void aGridOfTwoCandidatesWithThreeSeedsRunsThroughACrashAndDiscardsALearningRateOfZero() throws Exception {
        Path out = temp.resolve("run");
        TrainResearch first = research(out, false);
        int[] done = {0};
        first.onTrained = (recipe, seed) -> {
            if (++done[0] == 4) throw new IllegalStateException("simulated kill after the 4th model, before its ledger line");
        };
        assertThrows(IllegalStateException.class, first::run);
        assertEquals(4, first.trained());
        assertEquals(3, Files.readAllLines(out.resolve(TrainLedger.FILE)).size() - 1, "3 ledger lines; the 4th model is on disk only");
        assertThrows(StrataException.class, () -> research(out, false).run(), "a fresh run refuses a used directory");

        TrainResearch resumed = research(out, true);
        ResearchLoop.Result r = resumed.run();
        assertEquals(5, resumed.trained(), "9 trainings in all (3 seeds x (baseline + 2 candidates)); the 4 finished are not repeated");
        List<String> lines = Files.readAllLines(out.resolve(TrainLedger.FILE));
        Set<String> keys = new HashSet<>();
        for (String line : lines.subList(1, lines.size())) assertTrue(keys.add(line.replaceAll(".*\"recipe\":\"([^\"]+)\",\"seed\":(\\d+).*", "$1 $2")), line);
        assertEquals(9, keys.size(), "each (recipe, seed) once: " + keys);

        List<String[]> rows = ResultsLog.read(out);
        int status = ResultsLog.COLUMNS.indexOf("status"), stage = ResultsLog.COLUMNS.indexOf("stage"), p = ResultsLog.COLUMNS.indexOf("p"),
                variant = ResultsLog.COLUMNS.indexOf("variant"), n = ResultsLog.COLUMNS.indexOf("n");
        assertEquals(List.of("baseline", "heldout", "heldout"), rows.stream().map(x -> x[stage]).toList());
        for (String[] row : rows.subList(1, 3)) {
            assertTrue(Set.of("keep", "discard").contains(row[status]), String.join("|", row));
            assertTrue(Double.parseDouble(row[p]) >= 0 && Double.parseDouble(row[p]) <= 1, row[p]);
            assertEquals(3 * r.heldOutItems(), Integer.parseInt(row[n]), "items x seeds pooled");
        }
        String zeroName = BASE.with("lr=0").name();
        Decision zero = r.decisions().stream().filter(d -> d.variant().equals(zeroName)).findFirst().orElseThrow();
        assertEquals(Decision.DISCARD, zero.status(), zero.description());
        assertEquals(0.0, zero.accuracy(), "an untrained model solves nothing");
        assertTrue(zero.delta().estimate() < 0, "the baseline learned something: " + zero.description());
        for (String recipe : List.of(BASE.name(), rows.get(1)[variant], rows.get(2)[variant]))
            for (long seed = 1; seed <= 3; seed++) assertTrue(Files.isRegularFile(out.resolve("models").resolve(Plan.nameOf(recipe) + "-s" + seed + ".gguf")));
        System.out.println("train space: " + String.join(" | ", r.decisions().stream().map(Decision::description).toList()));
    }

    @Test
    void recipesParseToStableNamesAndBadGridsAreClearErrors() {
        assertEquals("train:default", TrainRecipe.DEFAULT.name());
        assertEquals(4, BASE.grid("dim=32,48;lr=1e-3,3e-3").size());
        assertEquals("train:dim=48,layers=1,heads=2,lr=0.001,seq=48", BASE.grid("dim=32,48;lr=1e-3,3e-3").get(2).name());
        assertTrue(TrainRecipe.DEFAULT.with("loop=0.5").flags().contains("--loop-train --loop-prob 0.5"));
        assertTrue(assertThrows(StrataException.class, () -> BASE.grid("width=3")).getMessage().contains("unknown train setting 'width'"));
        assertTrue(assertThrows(StrataException.class, () -> BASE.grid("lr=fast")).getMessage().contains("not a number"));
        assertThrows(StrataException.class, () -> BASE.with("loop=2"));
    }
}
