package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.eval.ledger.Ledger;
import dev.strata.eval.report.Summary;
import dev.strata.model.DefaultModel;
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
 * {@code strata eval} in a child JVM, killed with SIGKILL at 10 random moments and resumed each
 * time: the ledger must end with every (variant, item) exactly once, and the summary must equal
 * that of an uninterrupted run (everything but the timings, which no two runs share).
 */
class EvalKillResumeTest {
    private static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    @TempDir Path temp;

    private List<String> args(Path out) {
        return List.of("eval", "-m", DefaultModel.resolve().toString(), "--task", "curriculum:arithmetic,kv", "--problems", "4",
                "--min-difficulty", "2", "--max-difficulty", "2", "--variants", "base;skip:3", "-t", "2", "--kernels", "panama",
                "--no-progress", "--out", out.toString());
    }

    @Test
    void killedTenTimesAndResumedEqualsAnUninterruptedRun() throws Exception {
        Path reference = temp.resolve("reference");
        long t0 = System.nanoTime();
        assertEquals(0, Main.run(args(reference).toArray(String[]::new)));
        int window = (int) Math.min(5000, 500 + (System.nanoTime() - t0) / 1_000_000); // a child also starts a JVM: kills spread over its run
        Summary expected = Summary.of(Ledger.read(reference));

        Path killed = temp.resolve("killed");
        Random random = new Random(16);
        int killedMidRun = 0;
        for (int k = 0; k < 10; k++) {
            Process child = start(killed);
            boolean finished = child.waitFor(300 + random.nextInt(window), TimeUnit.MILLISECONDS);
            if (!finished) {
                child.destroyForcibly(); // SIGKILL
                killedMidRun++;
            }
            child.waitFor(30, TimeUnit.SECONDS);
        }
        Process last = start(killed);
        assertTrue(last.waitFor(120, TimeUnit.SECONDS), "the final resume did not finish");
        assertEquals(0, last.exitValue(), () -> read(temp.resolve("child.err")));

        Map<String, Integer> lines = new HashMap<>();
        for (String line : Files.readAllLines(killed.resolve(Ledger.FILE))) {
            JsonNode n = JSON.readTree(line);
            if (n.get("type").asText().equals("item")) lines.merge(n.get("variant_hash").asText() + " " + n.get("item").asText(), 1, Integer::sum);
        }
        assertEquals(2 * 8, lines.size(), "every (variant, item)");
        assertTrue(lines.values().stream().allMatch(c -> c == 1), "exactly once: " + lines);

        Summary actual = Summary.of(Ledger.read(killed));
        assertNull(expected.header().mismatch(actual.header()));
        assertEquals(withoutTimings(expected), withoutTimings(actual));
        assertEquals(predictions(reference), predictions(killed));
        System.out.printf("kill -9: %d of 10 children killed before they finished; ledger complete and equal%n", killedMidRun);
    }

    private Process start(Path out) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "--add-modules",
                "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.strata.cli.Main"));
        cmd.addAll(args(out));
        cmd.add("--resume");
        Files.createDirectories(temp);
        return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(temp.resolve("child.err").toFile())).start();
    }

    private static List<JsonNode> withoutTimings(Summary s) {
        List<JsonNode> out = new ArrayList<>();
        for (var v : s.variants()) {
            ObjectNode n = JSON.valueToTree(v);
            n.remove(List.of("wall_seconds", "tokens_per_second", "joules_per_token", "prompt_tokens_per_second", "generation_tokens_per_second"));
            out.add(n);
        }
        return out;
    }

    private static Map<String, String> predictions(Path dir) {
        Map<String, String> m = new HashMap<>();
        for (var e : Ledger.read(dir).entries()) m.put(e.key(), e.prediction() + " " + e.correct() + " " + e.cost().multiplyAdds());
        return m;
    }

    private static String read(Path p) {
        try {
            if (!Files.exists(p)) return "";
            return String.join("\n", Files.readAllLines(p).stream().filter(l -> l.startsWith("error") || l.contains("Exception")).toList());
        } catch (IOException e) {
            return e.toString();
        }
    }
}
