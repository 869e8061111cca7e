package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.eval.ledger.Ledger;
import dev.strata.model.DefaultModel;
import dev.strata.research.Plans;
import dev.strata.research.ResultsLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata research} in a child JVM, killed with SIGKILL at random moments and resumed each
 * time: results.tsv and plans.json must equal those of an uninterrupted run byte for byte, and the
 * ledger must hold every (variant, item) exactly once with the same outcomes.
 */
class ResearchKillResumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path temp;

    private List<String> args(Path out) {
        return List.of("research", "-m", DefaultModel.resolve().toString(), "--task", "curriculum", "--problems", "2", "--min-difficulty", "1",
                "--max-difficulty", "3", "--space", "skip", "--max-block", "1", "--candidates", "dup:1-2", "--search-items", "4", "--finalists", "2",
                "-t", "2", "--kernels", "panama", "--no-progress", "--out", out.toString());
    }

    @Test
    void killedAtRandomMomentsAndResumedDecidesExactlyAsAnUninterruptedRun() throws Exception {
        Path reference = temp.resolve("reference");
        long t0 = System.nanoTime();
        assertEquals(0, Main.run(args(reference).toArray(String[]::new)));
        int window = 1500 + (int) ((System.nanoTime() - t0) / 1_000_000);

        Path killed = temp.resolve("killed");
        Random random = new Random(17);
        int killedMidRun = 0;
        for (int k = 0; k < 4; k++) {
            Process child = start(killed);
            if (!child.waitFor(500 + random.nextInt(window), TimeUnit.MILLISECONDS)) {
                child.destroyForcibly(); // SIGKILL
                killedMidRun++;
            }
            child.waitFor(30, TimeUnit.SECONDS);
        }
        Process last = start(killed);
        assertTrue(last.waitFor(120, TimeUnit.SECONDS), "the final resume did not finish");
        assertEquals(0, last.exitValue(), () -> read(temp.resolve("child.err")));

        assertEquals(Files.readString(reference.resolve(ResultsLog.FILE)), Files.readString(killed.resolve(ResultsLog.FILE)));
        assertEquals(Files.readString(reference.resolve(Plans.FILE)), Files.readString(killed.resolve(Plans.FILE)));
        Map<String, Integer> lines = new HashMap<>();
        for (String line : Files.readAllLines(killed.resolve(Ledger.FILE))) {
            JsonNode n = JSON.readTree(line);
            if (n.get("type").asText().equals("item")) lines.merge(n.get("variant_hash").asText() + " " + n.get("item").asText(), 1, Integer::sum);
        }
        assertTrue(lines.values().stream().allMatch(c -> c == 1), "exactly once: " + lines);
        assertEquals(outcomes(reference), outcomes(killed));
        System.out.printf("research kill -9: %d of 4 children killed before they finished; results.tsv, plans.json and ledger equal%n", killedMidRun);
    }

    private Process start(Path out) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "--add-modules",
                "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "dev.strata.cli.Main"));
        cmd.addAll(args(out));
        cmd.add("--resume");
        return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(temp.resolve("child.err").toFile())).start();
    }

    private static Map<String, Boolean> outcomes(Path dir) {
        Map<String, Boolean> m = new HashMap<>();
        for (var e : Ledger.read(dir).entries()) m.put(e.key(), e.correct());
        return m;
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
