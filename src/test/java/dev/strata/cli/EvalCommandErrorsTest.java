package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.eval.ledger.Ledger;
import dev.strata.model.DefaultModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad eval input: one line on stderr, exit 1 (2 for picocli flag errors), nothing scored, no stack trace. */
class EvalCommandErrorsTest {
    @TempDir Path temp;

    private int run(List<String> args, ByteArrayOutputStream err) {
        PrintStream oldErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return Main.run(args.toArray(String[]::new));
        } finally {
            System.setErr(oldErr);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--variants base;dup:7                      | 1 | layer 7 is out of range",
        "--variants base;window=4                   | 1 | unknown variant setting 'window'",
        "--variants base+attention=sparse           | 1 | attention mode 'sparse' is not available yet",
        "--variants skip:1 --layers dup:1           | 1 | inside --variants",
        "--experts-per-token 2                      | 1 | needs a mixture-of-experts model",
        "--task curriculum:wat                      | 1 | unknown curriculum family 'wat'",
        "--task missing.yaml                        | 1 | missing.yaml: no such file",
        "--problems 0                               | 1 | --problems must be at least 1",
        "--watts -1                                 | 1 | --watts must be positive",
        "--max-difficulty 99                        | 1 | difficulties must satisfy",
        "-o xml                                     | 2 | Invalid value for option '--output'",
    })
    void badInputIsOneLine(String flags, int code, String message) {
        List<String> args = new ArrayList<>(List.of("eval", "-m", DefaultModel.resolve().toString(), "--no-progress", "--out",
                temp.resolve("run").toString()));
        args.addAll(Arrays.asList(flags.split(" ")));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(code, run(args, err));
        String text = err.toString(StandardCharsets.UTF_8);
        String errorLine = text.lines().filter(l -> l.startsWith("error:")).findFirst().orElse("");
        assertTrue(errorLine.contains(message), text);
        assertFalse(text.contains("\tat "), "no stack trace: " + text);
        assertFalse(Files.exists(temp.resolve("run").resolve(Ledger.FILE)), "the error comes before any item is scored");
    }

    @Test
    void anExistingRunNeedsResume() throws IOException {
        Path out = Files.createDirectories(temp.resolve("existing"));
        Files.writeString(out.resolve(Ledger.FILE), "{}\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(1, run(List.of("eval", "-m", DefaultModel.resolve().toString(), "--limit", "1", "--out", out.toString()), err));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("pass --resume"), err.toString(StandardCharsets.UTF_8));
    }
}
