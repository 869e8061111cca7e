package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.SharedData;
import dev.strata.eval.ledger.Ledger;
import dev.strata.eval.stats.PairedBootstrap;
import dev.strata.research.Decision;
import dev.strata.research.Plans;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --plan FILE#NAME} in generate and eval runs what the plan says, read from the accounting
 * counters: a plan of dup:0 with one expert per token on the 2-layer top-2 MoE runs 3 plan steps
 * and 3 experts per token, exactly as {@code --layers dup:0 --experts-per-token 1} does.
 */
class PlanFlagTest {
    private static final String MOE = SharedData.require(SharedData.model("mixtral-tiny-random-F16.gguf")).toString();
    private static final Pattern ACCOUNTING = Pattern.compile("accounting: plan (\\d+) steps, (\\d+) tokens, (\\d+) multiply-adds/token, (\\d+) weight bytes/token, ([0-9.]+) experts selected/token");
    @TempDir Path temp;

    private Path plans() {
        var d = new Decision("dup:0+experts=1", Decision.Stages.HELD_OUT, Decision.KEEP, 10, 0.6, 0.5, new PairedBootstrap.Interval(0.1, 0.0, 0.2),
                0.01, 0.02, 1, 1, "kept");
        return Plans.write(temp, List.of(d), "0".repeat(64));
    }

    private static int[] run(String... args) {
        PrintStream oldErr = System.err, oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            if (code != 0) return new int[] {code};
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        Matcher m = ACCOUNTING.matcher(err.toString(StandardCharsets.UTF_8));
        assertTrue(m.find(), err.toString(StandardCharsets.UTF_8));
        return new int[] {0, Integer.parseInt(m.group(1)), (int) Math.round(Double.parseDouble(m.group(5)) * 1000), Integer.parseInt(m.group(3))};
    }

    @Test
    void generateRunsThePlan() {
        String ref = plans() + "#dup-0-experts-1";
        String[] base = {"generate", "-m", MOE, "-p", "one two", "-n", "3", "-t", "1", "--no-display-prompt"};
        int[] byPlan = run(concat(base, "--plan", ref));
        int[] byFlags = run(concat(base, "--layers", "dup:0", "--experts-per-token", "1"));
        int[] plain = run(base);
        assertEquals(3, byPlan[1], "dup:0 on 2 layers runs 3 steps");
        assertEquals(3000, byPlan[2], "one expert in each of 3 steps");
        assertEquals(List.of(byFlags[1], byFlags[2], byFlags[3]), List.of(byPlan[1], byPlan[2], byPlan[3]));
        assertEquals(2, plain[1]);
        assertEquals(1, run(concat(base, "--plan", ref, "--layers", "skip:1"))[0], "--plan with --layers is refused");
        assertEquals(1, run(concat(base, "--plan", plans() + "#missing"))[0], "an unknown plan name is a one-line error");
    }

    @Test
    void evalRunsThePlan() {
        Path out = temp.resolve("eval");
        assertEquals(0, Main.run(new String[] {"eval", "-m", MOE, "--task", "curriculum:arithmetic", "--min-difficulty", "1", "--max-difficulty", "1",
                "--problems", "1", "-t", "1", "--no-progress", "--plan", plans() + "#dup-0-experts-1", "--out", out.toString()}));
        var info = Ledger.read(out).header().variants().get(0);
        assertEquals("dup:0", info.layers());
        assertEquals(1, info.expertsPerToken());
        assertEquals(3, info.planSteps());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
