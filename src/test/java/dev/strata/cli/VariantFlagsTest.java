package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.SharedData;
import dev.strata.eval.ledger.Ledger;
import dev.strata.eval.ledger.LedgerEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that accepts --layers, --experts-per-token or --memory-budget must run what the
 * flag says. Each check reads the accounting counters of what actually executed (plan steps,
 * multiply-adds, experts selected per token, expert bytes streamed from disk) on the 2-layer,
 * top-2-of-8 Mixtral-style fixture, and fails if the flag is dropped. (bench --layers is covered
 * by BenchLayersTest.)
 */
class VariantFlagsTest {
    private static final String MOE = SharedData.require(SharedData.model("mixtral-tiny-random-F16.gguf")).toString();
    private static final Pattern ACCOUNTING = Pattern.compile(
            "accounting: plan (\\d+) steps, (\\d+) tokens, (\\d+) multiply-adds/token, (\\d+) weight bytes/token, ([0-9.]+) experts selected/token, (\\d+) expert bytes");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path temp;

    /** steps, multiply-adds/token, experts/token, expert bytes read. */
    private record Counters(int steps, double macs, double experts, long streamed) {}

    private static String[] run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            assertEquals(0, code, () -> err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new String[] {out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    private static Counters accounting(String stderr) {
        Matcher m = ACCOUNTING.matcher(stderr);
        assertTrue(m.find(), "no accounting line in: " + stderr);
        return new Counters(Integer.parseInt(m.group(1)), Double.parseDouble(m.group(3)), Double.parseDouble(m.group(5)), Long.parseLong(m.group(6)));
    }

    private static String[] with(List<String> base, String... flags) {
        List<String> all = new ArrayList<>(base);
        all.addAll(Arrays.asList(flags));
        return all.toArray(String[]::new);
    }

    private void assertFlagsApplied(java.util.function.Function<String[], Counters> command) {
        Counters base = command.apply(new String[0]);
        assertEquals(2, base.steps());
        assertEquals(4.0, base.experts(), 1e-9, "top-2 in each of 2 layers");
        assertEquals(0, base.streamed());

        Counters dup = command.apply(new String[] {"--layers", "dup:0"});
        assertEquals(3, dup.steps());
        assertTrue(dup.macs() > base.macs() + 0.5e6, "dup:0 runs a third layer (the output head dominates): " + dup.macs() + " vs " + base.macs());
        assertEquals(6.0, dup.experts(), 1e-9);

        Counters one = command.apply(new String[] {"--experts-per-token", "1"});
        assertEquals(2.0, one.experts(), 1e-9, "one expert in each of 2 layers");
        assertTrue(one.macs() < base.macs(), "fewer experts, fewer multiply-adds");

        Counters streamed = command.apply(new String[] {"--memory-budget", "20M"});
        assertTrue(streamed.streamed() > 0, "--memory-budget must stream experts from disk");
        assertEquals(base.macs(), streamed.macs(), 1e-6, "streaming changes where weights come from, not what runs");
    }

    @Test
    void generateAppliesTheFlags() {
        List<String> base = List.of("generate", "-m", MOE, "-p", "one two three", "-n", "4", "-t", "1", "--no-display-prompt");
        assertFlagsApplied(flags -> accounting(run(with(base, flags))[1]));
    }

    @Test
    void demoAppliesTheFlags() {
        List<String> base = List.of("demo", "--accuracy-only", "-m", MOE, "--families", "arithmetic", "--min-difficulty", "1", "--max-difficulty", "1",
                "--problems", "1", "-t", "1", "--examples", "0");
        assertFlagsApplied(flags -> accounting(run(with(base, flags))[1]));
    }

    @Test
    void evalAppliesTheFlags() {
        int[] runs = {0};
        assertFlagsApplied(flags -> {
            Path out = temp.resolve("run" + runs[0]++);
            run(with(List.of("eval", "-m", MOE, "--task", "curriculum:arithmetic", "--min-difficulty", "1", "--max-difficulty", "1",
                    "--problems", "1", "-t", "1", "--no-progress", "--out", out.toString()), flags));
            Ledger.Contents c = Ledger.read(out);
            long tokens = 0, macs = 0, experts = 0, streamed = 0;
            for (LedgerEntry e : c.entries()) {
                tokens += e.cost().tokens();
                macs += e.cost().multiplyAdds();
                experts += e.cost().expertsSelected();
                streamed += e.cost().expertBytesRead();
            }
            return new Counters(c.header().variants().get(0).planSteps(), macs / (double) tokens, experts / (double) tokens, streamed);
        });
    }

    /** bench: experts per token lowers the measured GFLOP per token; a memory budget switches the weights to streaming. */
    @Test
    void benchAppliesExpertsAndMemoryBudget() throws IOException {
        Path cache = temp.resolve("bandwidth.json");
        Files.writeString(cache, "{\"1\": 1.0E10}");
        List<String> base = List.of("bench", "-m", MOE, "-p", "8", "-n", "4", "-r", "1", "--warmup-ms", "0", "-t", "1",
                "--bandwidth-cache", cache.toString(), "-o", "json");
        JsonNode plain = JSON.readTree(run(with(base))[0]).get("results").get(1);
        JsonNode one = JSON.readTree(run(with(base, "--experts-per-token", "1"))[0]).get("results").get(1);
        JsonNode streamed = JSON.readTree(run(with(base, "--memory-budget", "20M"))[0]).get("results").get(1);
        assertTrue(one.get("gflop_per_token").asDouble() < plain.get("gflop_per_token").asDouble(), one + " vs " + plain);
        assertEquals("mmap", plain.get("memory").get("mode").asText());
        assertEquals("stream", streamed.get("memory").get("mode").asText());
        assertTrue(streamed.get("memory").get("expertMbPerToken").asDouble() > 0);
    }
}
