package dev.strata.research;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.eval.Variant;
import dev.strata.model.DefaultModel;
import dev.strata.runtime.Engine;
import dev.strata.train.solve.CurriculumSelection;
import dev.strata.train.solve.CurriculumTask;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real effects on the default model (4 layers, curriculum task): skipping layer 3, which the model
 * needs, is discarded with p < 0.01; and the full model, searched against a {@code skip:3}
 * baseline, is kept. Both through the real engine, the eval ledger and the same decision code.
 */
class TrueEffectTest {
    private static Engine engine;
    @TempDir Path temp;

    @BeforeAll
    static void open() {
        engine = Engine.open(DefaultModel.resolve(), 1, "panama");
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private ResearchLoop.Result run(String baseline, String candidate, Path out) {
        var task = new CurriculumTask(CurriculumSelection.resolve(engine.model().store().file(), null, 1, 3, 4, 5));
        var trials = new EngineTrials(engine, task, DefaultModel.resolve(), 2, 5, 10, false);
        var settings = new ResearchLoop.Settings(Variant.parse(baseline), List.of(Variant.parse(candidate)), 0.5, 5, 4, 2, 3, 24,
                new DecisionRule(DecisionRule.Correction.HOLM, 0.05, 5), null, out, false, "test");
        return new ResearchLoop(trials, settings).run();
    }

    @Test
    void skippingANeededLayerIsDiscardedAndTheFullModelBeatsASkipBaseline() {
        ResearchLoop.Result worse = run("base", "skip:3", temp.resolve("worse"));
        Decision skip = worse.decisions().stream().filter(d -> d.stage().equals(Decision.Stages.HELD_OUT)).findFirst().orElseThrow();
        assertEquals(Decision.DISCARD, skip.status());
        assertTrue(skip.p() < 0.01, "skip:3 p=" + skip.p());
        assertTrue(skip.delta().high() < 0, "the interval is below zero: " + skip.delta());

        ResearchLoop.Result better = run("skip:3", "base", temp.resolve("better"));
        Decision full = better.decisions().stream().filter(d -> d.stage().equals(Decision.Stages.HELD_OUT)).findFirst().orElseThrow();
        assertEquals(Decision.KEEP, full.status(), full.description());
        assertEquals(List.of("base"), better.kept().stream().map(Decision::variant).toList());
        assertEquals(1, Plans.read(better.plans()).size());
        System.out.println("true effect: " + skip.description() + " | " + full.description());
    }
}
