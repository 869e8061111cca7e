package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** strata perplexity's flags and errors (its value is checked against llama.cpp in PerplexityOracleTest). */
class PerplexityCommandTest {
    @TempDir
    Path tmp;

    static double ppl(String out) {
        Matcher m = Pattern.compile("Final estimate: PPL = (\\d+\\.\\d+) ").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void layerPathAndBatchSize() throws Exception {
        Path f = Files.writeString(tmp.resolve("t.txt"), "Once upon a time there was a little girl who liked to play in the park with her dog. ".repeat(8));
        CliTest.Result base = CliTest.run("perplexity", "-m", CliTest.stories(), "-f", f.toString(), "-c", "64", "-t", "1");
        assertEquals(0, base.code(), base.err());
        CliTest.Result batched = CliTest.run("perplexity", "-m", CliTest.stories(), "-f", f.toString(), "-c", "64", "-b", "7", "-t", "1");
        assertEquals(ppl(base.out()), ppl(batched.out()), 1e-3 * ppl(base.out()), "batch size changes how, not what, is computed");
        CliTest.Result skipped = CliTest.run("perplexity", "-m", CliTest.stories(), "-f", f.toString(), "-c", "64", "--layers", "skip:2-3", "-t", "1");
        assertEquals(0, skipped.code(), skipped.err());
        assertNotEquals(ppl(base.out()), ppl(skipped.out()), "--layers must change the model that runs");
        CliTest.Result two = CliTest.run("perplexity", "-m", CliTest.stories(), "-f", f.toString(), "-c", "64", "--chunks", "2", "-t", "1");
        assertTrue(two.out().startsWith("[1]") && two.out().contains(",[2]") && !two.out().contains("[3]"), two.out());
    }

    @Test
    void tooShortOrMissingFilesAreOneLineErrors() throws Exception {
        Path f = Files.writeString(tmp.resolve("short.txt"), "Once upon a time.");
        CliTest.Result r = CliTest.run("perplexity", "-m", CliTest.stories(), "-f", f.toString(), "-c", "64");
        assertEquals(1, r.code());
        assertTrue(r.err().strip().matches("error: you need at least 128 tokens to evaluate perplexity with a context of 64; the text tokenizes to only \\d+"), r.err());
        CliTest.Result missing = CliTest.run("perplexity", "-m", CliTest.stories(), "-f", tmp.resolve("nope.txt").toString());
        assertEquals(1, missing.code());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        assertEquals(2, CliTest.run("perplexity", "-m", CliTest.stories()).code(), "-f is required: a flag error");
    }
}
