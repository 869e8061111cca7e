package dev.strata.research;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.eval.Variant;
import dev.strata.model.DefaultModel;
import dev.strata.runtime.Engine;
import dev.strata.train.solve.CurriculumSelection;
import dev.strata.train.solve.CurriculumTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --space quant} on the default (F32) model: the candidates are every layer and all layers at
 * each type; the loop scores them through the eval ledger and decides with the unchanged rule. Q4_0
 * everywhere is not kept as better than F32, and its cost columns show the smaller weights.
 */
class QuantSpaceTest {
    @TempDir Path temp;

    @Test
    void theCandidatesAreEachBlockAndAllLayersAtEachType() {
        var space = SearchSpace.parse("quant", 2, 3, "Q8_0,Q4_0");
        List<String> names = space.candidates(3, 0, 0).stream().map(Variant::canonical).toList();
        assertEquals(List.of("quant:0=Q8_0", "quant:1=Q8_0", "quant:2=Q8_0", "quant:0-1=Q8_0", "quant:1-2=Q8_0", "quant:*=Q8_0",
                "quant:0=Q4_0", "quant:1=Q4_0", "quant:2=Q4_0", "quant:0-1=Q4_0", "quant:1-2=Q4_0", "quant:*=Q4_0"), names);
        assertEquals(SearchSpace.DEFAULT_QUANT_TYPES, SearchSpace.parse("dup,quant", 1, 3).quantTypes());
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(StrataException.class, () -> SearchSpace.parse("quant", 1, 3, "Q3_K"))
                .getMessage().contains("Q3_K"));
    }

    @Test
    void researchOverQuantDecidesAndDoesNotKeepQ4_0EverywhereOverF32() throws Exception {
        try (Engine engine = Engine.open(DefaultModel.resolve(), 1, "panama")) {
            var task = new CurriculumTask(CurriculumSelection.resolve(engine.model().store().file(), null, 1, 3, 4, 5));
            List<Variant> candidates = SearchSpace.parse("quant", 1, 3, "Q4_0").candidates(4, 0, 0);
            assertEquals(5, candidates.size());
            Path out = temp.resolve("r");
            var settings = new ResearchLoop.Settings(Variant.BASE, candidates, 0.5, 5, 4, 2, 5, 24,
                    new DecisionRule(DecisionRule.Correction.HOLM, 0.05, 5), null, out, false, "test");
            ResearchLoop.Result r;
            try (var trials = new EngineTrials(engine, task, DefaultModel.resolve(), 2, 5, 10, false)) {
                r = new ResearchLoop(trials, settings).run();
            }
            List<Decision> heldOut = r.decisions().stream().filter(d -> d.stage().equals(Decision.Stages.HELD_OUT)).toList();
            assertEquals(5, heldOut.size(), "every candidate reached the held-out test");
            Decision all = heldOut.stream().filter(d -> d.variant().equals("quant:*=Q4_0")).findFirst().orElseThrow();
            assertNotEquals(Decision.KEEP, all.status(), all.description());
            assertTrue(Double.isFinite(all.p()) && all.n() == 24, all.description());
            Decision base = r.decisions().stream().filter(d -> d.stage().equals(Decision.Stages.BASELINE)).findFirst().orElseThrow();
            assertTrue(all.memoryMb() < base.memoryMb() / 3, "weight MB per token: " + all.memoryMb() + " vs F32 " + base.memoryMb());
            Decision one = heldOut.stream().filter(d -> d.variant().equals("quant:1=Q4_0")).findFirst().orElseThrow();
            assertTrue(one.memoryMb() < base.memoryMb() && one.memoryMb() > all.memoryMb(), one.memoryMb() + "");
            var written = ResearchReport.write(r, out);
            assertTrue(written.plots().contains("accuracy-vs-weight-bytes"), written.plots().toString());
            assertTrue(Files.size(out.resolve("accuracy-vs-weight-bytes.png")) > 0);
            String tsv = Files.readString(out.resolve("results.tsv"));
            assertTrue(tsv.contains("quant:*=Q4_0"), tsv);
            System.out.println("quant space: " + String.join(" | ", heldOut.stream().map(d -> d.variant() + " " + d.status() + " " + d.description()).toList()));
        }
    }
}
