package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.research.ResultsLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo} runs the mission: the accuracy grid, then a research run whose table lists every
 * finalist with its decision, and whose results.tsv, plans.json and plots are where it says; the
 * printed table agrees with results.tsv.
 */
class DemoMissionTest {
    @TempDir Path temp;

    @Test
    void demoPrintsTheAccuracyThenTheResearchTableAndWritesItsFiles() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run("demo", "-t", "2", "--problems", "1", "--research-problems", "2", "--examples", "0", "--out", temp.toString());
        } finally {
            System.setOut(old);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("accuracy: "), text);
        assertTrue(text.contains("| base | baseline |"), text);
        for (String[] row : ResultsLog.read(temp)) {
            if (!row[6].equals("heldout")) continue;
            assertTrue(text.contains("| " + row[5] + " | " + row[3] + " |"), "the table shows " + row[5] + " as " + row[3] + ":\n" + text);
        }
        for (String f : new String[] {"results.tsv", "plans.json", "research.md", "dup-heatmap.png", "dup-heatmap.svg", "accuracy-vs-compute.png"})
            assertTrue(Files.exists(temp.resolve(f)), f);
        assertTrue(text.contains(temp.toString()), "the output names the run directory");
    }
}
