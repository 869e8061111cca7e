package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.eval.EvalItem;
import dev.strata.eval.ledger.Ledger;
import dev.strata.eval.ledger.LedgerEntry;
import dev.strata.runtime.Engine;
import dev.strata.model.DefaultModel;
import dev.strata.train.curriculum.Problem;
import dev.strata.train.solve.CurriculumSelection;
import dev.strata.train.solve.CurriculumSolver;
import dev.strata.train.solve.CurriculumTask;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval --task curriculum} scores the same items as {@code demo} and gets the same outcomes, cell by cell and item by item. */
class EvalCurriculumMatchesDemoTest {
    @TempDir Path temp;

    @Test
    void sameItemsSameOutcomesAsDemo() {
        String model = DefaultModel.resolve().toString();
        String demo = stdout("demo", "-m", model, "--problems", "1", "--seed", "3", "-t", "2", "--markdown", "--examples", "0");
        Path out = temp.resolve("run");
        stdout("eval", "-m", model, "--problems", "1", "--seed", "3", "-t", "2", "--no-progress", "--out", out.toString());
        List<LedgerEntry> entries = Ledger.read(out).entries();

        Map<String, String> demoCells = new TreeMap<>();
        for (String line : demo.lines().filter(l -> l.matches("\\| [a-z]+ \\| \\d+ \\|.*")).toList()) {
            String[] c = line.substring(1).split("\\|");
            demoCells.put(c[0].strip() + " d" + c[1].strip(), c[4].strip() + "/" + c[3].strip());
        }
        Map<String, String> evalCells = new TreeMap<>(entries.stream().collect(Collectors.groupingBy(e -> e.group() + " d" + e.difficulty(),
                Collectors.collectingAndThen(Collectors.toList(), l -> l.stream().filter(LedgerEntry::correct).count() + "/" + l.size()))));
        assertEquals(25, demoCells.size(), demo);
        assertEquals(demoCells, evalCells);

        try (Engine engine = Engine.open(Path.of(model), 1, "auto")) {
            CurriculumSelection selection = CurriculumSelection.resolve(engine.model().store().file(), null, null, null, 1, 3);
            List<EvalItem> items = new CurriculumTask(selection).items();
            List<CurriculumSolver.Attempt> attempts = new CurriculumSolver(engine).solveAll(items.stream().map(i -> (Problem) i.doc()).toList(), 2);
            Map<String, LedgerEntry> byItem = entries.stream().collect(Collectors.toMap(LedgerEntry::item, e -> e));
            assertEquals(items.size(), byItem.size());
            for (int i = 0; i < items.size(); i++) {
                LedgerEntry e = byItem.get(items.get(i).id());
                CurriculumSolver.Attempt a = attempts.get(i);
                assertEquals(a.output().strip(), e.prediction(), items.get(i).id());
                assertEquals(a.correct(), e.correct(), items.get(i).id());
                assertEquals(a.promptTokens() + " " + a.generatedTokens(), e.promptTokens() + " " + e.generatedTokens());
            }
            assertTrue(attempts.stream().anyMatch(CurriculumSolver.Attempt::correct) && attempts.stream().anyMatch(a -> !a.correct()),
                    "a mix of right and wrong answers, so the comparison can tell them apart");
        }
    }

    private static String stdout(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(args));
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
