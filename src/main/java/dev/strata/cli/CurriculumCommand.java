package dev.strata.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.StrataException;
import dev.strata.train.curriculum.ChatTurn;
import dev.strata.train.curriculum.Curriculum;
import dev.strata.train.curriculum.Family;
import dev.strata.train.curriculum.Problem;
import dev.strata.train.curriculum.Split;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata curriculum}: writes generated problems as JSON lines. */
@Command(name = "curriculum", mixinStandardHelpOptions = true,
        description = "Generate reasoning problems with exactly verifiable answers, as JSONL.")
public final class CurriculumCommand implements Callable<Integer> {
    @Option(names = "--families", defaultValue = "all", paramLabel = "LIST", description = "Comma-separated families: arithmetic, variables, comparison, kv, lists, or all (default: ${DEFAULT-VALUE}).") String families;
    @Option(names = "--split", defaultValue = "train", description = "train, val or test") String split;
    @Option(names = "--min-difficulty", defaultValue = "1", paramLabel = "D", description = "Lowest difficulty (default: ${DEFAULT-VALUE}).") int minDifficulty;
    @Option(names = "--max-difficulty", defaultValue = "4", paramLabel = "D", description = "Highest difficulty (default: ${DEFAULT-VALUE}).") int maxDifficulty;
    @Option(names = {"-n", "--count"}, defaultValue = "10", paramLabel = "N", description = "Problems per family and difficulty (default: ${DEFAULT-VALUE}).") int count;
    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Which problems to draw (default: ${DEFAULT-VALUE}).") long seed;
    @Option(names = "--format", defaultValue = "plain", description = "plain (prompt/target/text) or chat (messages)") String format;
    @Option(names = {"-o", "--output"}, description = "File to write (default: standard output).") Path output;

    @Override
    public Integer call() {
        Split s = switch (split.toLowerCase(Locale.ROOT)) {
            case "train" -> Split.TRAIN;
            case "val", "validation" -> Split.VAL;
            case "test" -> Split.TEST;
            default -> throw new StrataException("split must be train, val or test, got " + split);
        };
        if (!format.equals("plain") && !format.equals("chat")) throw new StrataException("format must be plain or chat, got " + format);
        Curriculum curriculum = new Curriculum(seed, s, Family.parseList(families), minDifficulty, maxDifficulty);
        ObjectMapper mapper = new ObjectMapper();
        Writer out = null;
        try {
            out = output != null ? Files.newBufferedWriter(output, StandardCharsets.UTF_8)
                    : new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
            for (int i = 0; i < count; i++) {
                Problem p = curriculum.next();
                ObjectNode line = mapper.createObjectNode().put("family", p.family().id()).put("difficulty", p.difficulty())
                        .put("split", s.name().toLowerCase(Locale.ROOT));
                if (format.equals("chat")) {
                    var messages = line.putArray("messages");
                    for (ChatTurn t : p.chat()) messages.addObject().put("role", t.role()).put("content", t.content());
                } else {
                    line.put("prompt", p.prompt()).put("target", p.target()).put("text", p.plainText());
                }
                line.put("answer", p.answer());
                out.write(mapper.writeValueAsString(line));
                out.write('\n');
            }
            if (output != null) out.close();
            else out.flush(); // standard output stays open for the rest of the CLI
        } catch (IOException e) {
            throw new StrataException("cannot write problems: " + e.getMessage(), e);
        }
        return 0;
    }
}
