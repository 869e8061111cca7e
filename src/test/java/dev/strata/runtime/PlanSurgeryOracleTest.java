package dev.strata.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.kherud.llama.LlamaCppOracle;
import dev.strata.SharedData;
import dev.strata.cli.Main;
import dev.strata.eval.stats.PairedBootstrap;
import dev.strata.model.LayerPath;
import dev.strata.research.Decision;
import dev.strata.research.Plan;
import dev.strata.research.Plans;
import dev.strata.weights.Model;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan in plans.json, written into a GGUF by {@code strata surgery --plan FILE#NAME}, gives in
 * llama.cpp the same greedy tokens as Strata running the plan's layer path on the original file.
 */
class PlanSurgeryOracleTest {
    @TempDir Path temp;

    @BeforeAll
    static void start() {
        LayerPathOracleTest.start();
    }

    @AfterAll
    static void stop() {
        LayerPathOracleTest.stop();
    }

    @Test
    void surgeryOfAPlanRunsInLlamaCppAsStrataRunsThePlan() throws Exception {
        String name = "stories260K-F32";
        Path in = SharedData.model(name + ".gguf");
        var kept = new Decision("dup:1-2", Decision.Stages.HELD_OUT, Decision.KEEP, 100, 0.6, 0.5, new PairedBootstrap.Interval(0.1, 0.02, 0.18), 0.01,
                0.02, 1e6, 1.0, "kept");
        Path plans = Plans.write(temp, List.of(kept), "0".repeat(64));
        Plan plan = Plans.resolve(plans + "#dup-1-2");
        assertEquals("dup:1-2", plan.layers());

        Path out = temp.resolve("planned.gguf");
        assertEquals(0, Main.run(new String[] {"surgery", "--plan", plans + "#dup-1-2", in.toString(), out.toString()}));
        int[] prompt = OracleCase.load(SharedData.oracle(name)).get(1).promptIds();
        int steps = 16;
        List<Float> gaps = new ArrayList<>();
        List<Integer> strata;
        try (Model m = Model.load(in, LayerPathOracleTest.K)) {
            strata = LayerPathOracleTest.greedy(m, ExecutionPlan.ofPath(LayerPath.parse(plan.layers(), m.config().blockCount())), prompt, steps, gaps);
        }
        try (LlamaCppOracle llama = new LlamaCppOracle(out, 256)) {
            List<String> theirs = llama.greedyPieces(prompt, steps);
            for (int i = 0; i < steps; i++) {
                String mine = llama.piece(strata.get(i));
                if (!mine.equals(theirs.get(i))) {
                    assertTrue(gaps.get(i) < 0.2f, "step " + i + ": Strata '" + mine + "' vs llama.cpp '" + theirs.get(i) + "' with top-2 gap " + gaps.get(i));
                    System.out.printf("plan surgery: diverged at step %d after a near tie (gap %.3f)%n", i, gaps.get(i));
                    return;
                }
            }
        }
    }
}
