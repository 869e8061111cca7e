package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Every command's help: each option described, every help screen renders without picocli warnings. */
class HelpTextTest {

    private static List<CommandLine> allCommands() {
        List<CommandLine> out = new ArrayList<>();
        collect(new CommandLine(new Main()), out);
        return out;
    }

    private static void collect(CommandLine cl, List<CommandLine> out) {
        out.add(cl);
        cl.getSubcommands().values().forEach(sub -> collect(sub, out));
    }

    @Test
    void everyOptionHasADescription() {
        List<String> missing = new ArrayList<>();
        for (CommandLine cl : allCommands()) {
            CommandSpec spec = cl.getCommandSpec();
            for (OptionSpec o : spec.options()) {
                if (o.hidden()) continue;
                String text = String.join(" ", o.description()).strip();
                if (text.isEmpty()) missing.add(spec.qualifiedName() + " " + o.longestName());
            }
        }
        assertEquals(List.of(), missing, "options without a description");
    }

    @Test
    void everyHelpScreenRendersWithoutPicocliWarnings() {
        for (CommandLine cl : allCommands()) {
            CliTest.Result r = CliTest.run(helpArgs(cl));
            assertEquals(0, r.code(), cl.getCommandSpec().qualifiedName() + ": " + r.err());
            String expected = cl.getCommandSpec().name().equals("help") ? "strata" : cl.getCommandSpec().qualifiedName();
            assertTrue(r.out().startsWith("Usage: " + expected), r.out());
            assertTrue(!r.err().contains("picocli WARN") && !r.out().contains("${"), cl.getCommandSpec().qualifiedName() + ": " + r.err() + r.out());
        }
    }

    private static String[] helpArgs(CommandLine cl) {
        List<String> args = new ArrayList<>(List.of(cl.getCommandSpec().qualifiedName().split(" ")));
        args.removeFirst();
        if (cl.getCommandSpec().name().equals("help")) return args.toArray(String[]::new);
        args.add("--help");
        return args.toArray(String[]::new);
    }

    @Test
    void unknownCommandsAndOptionsNameTheRightHelpAndSuggest() {
        CliTest.Result r = CliTest.run("generat", "-p", "x");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("see 'strata --help'"), r.err());
        assertTrue(r.err().contains("generate"), "suggests the nearest command: " + r.err());
        CliTest.Result o = CliTest.run("generate", "--tmep", "0");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("see 'strata generate --help'") && o.err().contains("--temp"), o.err());
    }

    @Test
    void gpuLayerFlagsFromLlamaCppAreAcceptedWithANote() {
        CliTest.Result r = CliTest.run("generate", "-m", CliTest.stories(), "-ngl", "99", "-p", "Once", "-n", "2", "--temp", "0");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("runs on the CPU"), r.err());
    }

    @Test
    void editDistanceCountsTranspositionsOnce() {
        assertEquals(0, Suggestions.distance("temp", "temp"));
        assertEquals(1, Suggestions.distance("--tmep", "--temp"));
        assertEquals(1, Suggestions.distance("generat", "generate"));
        assertEquals(3, Suggestions.distance("kitten", "sitting"));
    }
}
