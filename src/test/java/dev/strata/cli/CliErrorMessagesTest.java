package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One-line errors for the bad invocations of issue #20 finding 10. */
class CliErrorMessagesTest {
    @TempDir
    Path dir;

    private static void assertOneLineError(CliTest.Result r, String expected) {
        assertEquals(1, r.code(), r.err());
        String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("error: ") && last.contains(expected), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
    }

    @Test
    void aPromptFileThatIsNotUtf8NamesTheOffset() throws Exception {
        Path bad = Files.write(dir.resolve("bad.txt"), new byte[] {'a', 'b', 'c', (byte) 0xff, 'd'});
        assertOneLineError(CliTest.run("generate", "-m", CliTest.stories(), "-f", bad.toString(), "-n", "1"),
                "not valid UTF-8 text (bad byte 0xff at offset 3)");
    }

    @Test
    void anInvalidHostIsNamedAsSuch() {
        assertOneLineError(CliTest.run("serve", "-m", CliTest.stories(), "--host", "999.1.1.1", "--port", "0"), "--host 999.1.1.1: not a valid IP address");
    }

    @Test
    void aDirectoryAsModelIsNamedAsSuch() {
        assertOneLineError(CliTest.run("generate", "-m", dir.toString(), "-p", "hi"), "is a directory, not a GGUF file");
    }

    @Test
    void aTooLongPromptIsNotEchoedBeforeTheError() {
        String prompt = "Once upon a time there was a dragon. ".repeat(40);
        CliTest.Result r = CliTest.run("generate", "-m", CliTest.stories(), "-p", prompt, "-c", "32", "-n", "1");
        assertOneLineError(r, "does not fit the context size of 32");
        assertFalse(r.out().contains("dragon"), r.out());
    }
}
