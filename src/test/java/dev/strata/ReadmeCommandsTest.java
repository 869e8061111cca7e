package dev.strata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * Every command in the README's bash blocks, in order, as a user would paste it: light ones run in
 * process and must exit 0; heavy, interactive or blocking ones (listed here with the reason) must at
 * least parse, so a renamed flag or command in the README fails the build.
 */
class ReadmeCommandsTest {
    /** Substring of a command → why it is only parsed here. */
    static final Map<String, String> PARSE_ONLY = Map.ofEntries(
            Map.entry("./strata test", "the suite itself"),
            Map.entry("./strata jmh", "a benchmark of minutes"),
            Map.entry("./strata serve", "blocks until stopped (the server tests cover it)"),
            Map.entry("./strata chat", "interactive (ChatCommandTest drives the REPL)"),
            Map.entry("--preset llama-3.2-1b", "writes a 1.2 GB model"),
            Map.entry("--preset qwen3-30b-a3b", "writes a 4.3 GB model"),
            Map.entry("/tmp/llama-", "needs the 1B model above"),
            Map.entry("/tmp/moe", "needs the 30B-A3B cut above"),
            Map.entry("train --budget", "trains for minutes"),
            Map.entry("--problems 500", "minutes of decoding"),
            Map.entry("./strata research", "minutes of search"),
            Map.entry("./strata eval -m", "minutes of decoding"),
            Map.entry("--batch 1,2,4,8,16", "a benchmark of minutes"),
            Map.entry("./strata fuzz", "a fuzzing campaign"),
            Map.entry("./strata eval --", "minutes of decoding, and a second run into the same --out is refused without --resume"),
            Map.entry("./strata worker", "joins a cluster that must be running"),
            Map.entry("./strata frontier", "2,000 bootstrap resamples (FrontierCommandTest runs it on the same data)"),
            Map.entry("./strata loadtest", "needs a running server (ServeLoadTest runs it against one)"));

    static List<String> commands(String readme) {
        List<String> out = new ArrayList<>();
        boolean inBash = false;
        StringBuilder pending = new StringBuilder();
        for (String line : readme.split("\n")) {
            if (line.startsWith("```")) {
                inBash = !inBash && line.startsWith("```bash");
                continue;
            }
            if (!inBash) continue;
            String l = line.strip();
            if (pending.isEmpty() && (l.isEmpty() || l.startsWith("#"))) continue;
            if (l.endsWith("\\")) {
                pending.append(l, 0, l.length() - 1).append(' ');
                continue;
            }
            out.add(pending.append(l).toString());
            pending.setLength(0);
        }
        return out;
    }

    /** Shell words with '...' and "..." quoting; an unquoted # starts a comment. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' || c == '"') {
                int end = line.indexOf(c, i + 1);
                w.append(line, i + 1, end);
                i = end;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) words.add(w.toString());
                w.setLength(0);
                inWord = false;
            } else if (c == '#' && !inWord) {
                break;
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) words.add(w.toString());
        return words;
    }

    @TestFactory
    Stream<DynamicTest> everyReadmeCommandWorksAsWritten() throws Exception {
        List<String> commands = commands(Files.readString(Path.of("README.md")));
        assertTrue(commands.size() >= 20, "found only " + commands.size() + " commands in the README");
        return commands.stream().map(c -> DynamicTest.dynamicTest(c, () -> check(c)));
    }

    private static void check(String command) throws Exception {
        if (command.startsWith("scripts/")) {
            // long studies and soaks: the script must exist, be executable and parse
            Path script = Path.of(words(command).getFirst());
            assertTrue(Files.isExecutable(script), script + " is missing or not executable");
            Process p = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), script + " does not parse: " + out);
            return;
        }
        if (!command.startsWith("./strata ")) {
            Assumptions.assumeTrue(command.startsWith("(cd /tmp && npm pack") || command.startsWith("printf "), "not a strata command: " + command);
            if (command.startsWith("(cd /tmp && npm pack")) {
                Assumptions.assumeTrue(new ProcessBuilder("sh", "-c", "command -v npm").start().waitFor() == 0, "npm is not installed");
            }
            Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Assumptions.assumeTrue(p.waitFor() == 0, "could not run " + command + ": " + out);
            return;
        }
        List<String> all = new ArrayList<>(words(command));
        if (all.getLast().equals("&")) all.removeLast(); // started in the background, as the README says
        List<String> args = all.subList(1, all.size());
        String reason = PARSE_ONLY.entrySet().stream().filter(e -> command.contains(e.getKey())).map(Map.Entry::getValue).findFirst().orElse(null);
        if (reason != null) {
            if (args.getFirst().equals("test") || args.getFirst().equals("jmh") || args.getFirst().equals("fuzz")) return;
            new CommandLine(new Main()).parseArgs(args.toArray(String[]::new));
            return;
        }
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run(args.toArray(String[]::new));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        assertEquals(0, code, command + "\n" + out.toString(StandardCharsets.UTF_8));
    }
}
