package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.SharedData;
import dev.strata.gguf.GgufFile;
import dev.strata.gguf.GgufWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end, in process: output, exit codes and one-line errors. */
class CliTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {}

    static synchronized Result run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static String stories() {
        return SharedData.model("stories260K-F32.gguf").toString();
    }

    @Test
    void generatePrintsLlamaCppText() throws Exception {
        Result r = run("generate", "-m", stories(), "-p", "Once upon a time", "-n", "32", "--temp", "0");
        assertEquals(0, r.code(), r.err());
        String oracleText = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Files.readAllLines(SharedData.oracle("stories260K-F32")).get(0)).get("text").asText();
        assertEquals("Once upon a time" + oracleText + "\n", r.out());
        assertTrue(r.err().contains("tokens per second"), r.err());
    }

    @Test
    void tokenizeShowsIdsAndPieces() {
        Result r = run("tokenize", "-m", stories(), "-p", "Once upon a time", "--ids");
        assertEquals(0, r.code(), r.err());
        assertEquals("[1, 403, 407, 261, 378]", r.out().strip());
    }

    @Test
    void infoReportsParametersAndTypes() {
        Result r = run("info", "-m", SharedData.model("qwen2moe-tiny-random.gguf").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("qwen2moe"), r.out());
        var m = java.util.regex.Pattern.compile("parameters: ([\\d,]+) total, ([\\d,]+) active").matcher(r.out());
        assertTrue(m.find(), r.out());
        long total = Long.parseLong(m.group(1).replace(",", "")), active = Long.parseLong(m.group(2).replace(",", ""));
        // 2 layers x 3 expert matrices x 64x64 x (8 - 2) unused experts
        assertEquals(2L * 3 * 64 * 64 * 6, total - active);
    }

    @Test
    void truncatedFileGivesOneLineError() throws Exception {
        byte[] all = Files.readAllBytes(SharedData.model("stories260K-F32.gguf"));
        Path cut = tmp.resolve("cut.gguf");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        assertOneLineError(run("generate", "-m", cut.toString(), "-p", "x"), "cut.gguf", "outside the file");
    }

    @Test
    void notAGgufFileGivesOneLineError() throws Exception {
        Path junk = tmp.resolve("junk.gguf");
        Files.writeString(junk, "hello, this is not a model file at all");
        assertOneLineError(run("info", "-m", junk.toString()), "junk.gguf", "bad magic");
    }

    @Test
    void unsupportedArchitectureGivesOneLineError() {
        Path gpt2 = tmp.resolve("gpt2.gguf");
        try (GgufFile src = GgufFile.open(SharedData.model("stories260K-F32.gguf"))) {
            GgufWriter w = new GgufWriter();
            GgufWriter.copyMetadata(src, w);
            w.putString("general.architecture", "gpt2");
            GgufWriter.copyTensors(src, w);
            w.write(gpt2);
        }
        assertOneLineError(run("generate", "-m", gpt2.toString(), "-p", "x"), "unsupported architecture 'gpt2'");
    }

    @Test
    void missingKeyAndMissingFileGiveOneLineErrors() {
        Path noHeads = tmp.resolve("noheads.gguf");
        try (GgufFile src = GgufFile.open(SharedData.model("stories260K-F32.gguf"))) {
            GgufWriter w = new GgufWriter();
            GgufWriter.copyMetadata(src, w);
            w.remove("llama.attention.head_count");
            GgufWriter.copyTensors(src, w);
            w.write(noHeads);
        }
        assertOneLineError(run("generate", "-m", noHeads.toString(), "-p", "x"), "missing required key 'llama.attention.head_count'");
        assertOneLineError(run("generate", "-m", tmp.resolve("nope.gguf").toString(), "-p", "x"), "no such file");
    }

    @Test
    void badFlagsGiveOneLineErrors() {
        Result r = run("generate", "--frobnicate", "-m", stories());
        assertEquals(2, r.code());
        assertOneLine(r.err(), "Unknown option");
        assertOneLineError(run("generate", "-m", stories(), "-p", "x", "--layers", "0-9"), "layer 9 is out of range", "5 layers");
        assertOneLineError(run("generate", "-m", stories(), "-p", "x", "--kernels", "turbo"), "turbo");
        assertOneLineError(run("generate", "-m", stories(), "-p", "x", "--top-p", "-1"), "top-p");
        assertOneLineError(run("generate", "-m", stories(), "-p", "x", "--experts-per-token", "2"), "dense");
        assertEquals(2, run("generate", "-m", stories(), "-n", "many").code());
    }

    @Test
    void verboseShowsTheStackTrace() {
        Result r = run("generate", "-m", stories(), "-p", "x", "--layers", "0-9", "--verbose");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void surgeryWritesAPathThatRuns() {
        Path out = tmp.resolve("dup.gguf");
        Result r = run("surgery", stories(), out.toString(), "--layers", "dup:1-2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("7 blocks"), r.out());
        Result g = run("generate", "-m", out.toString(), "-p", "Once upon a time", "-n", "8", "--temp", "0");
        Result p = run("generate", "-m", stories(), "--layers", "dup:1-2", "-p", "Once upon a time", "-n", "8", "--temp", "0");
        assertEquals(p.out(), g.out());
    }

    static void assertOneLineError(Result r, String... parts) {
        assertEquals(1, r.code(), "exit code; stderr: " + r.err());
        assertOneLine(r.err(), parts);
    }

    static void assertOneLine(String err, String... parts) {
        String[] lines = err.strip().split("\n");
        assertEquals(1, lines.length, "expected one line, got: " + err);
        assertTrue(lines[0].startsWith("error: "), lines[0]);
        for (String p : parts) assertTrue(lines[0].contains(p), "'" + p + "' not in: " + lines[0]);
        assertFalse(err.contains("\tat "), "stack trace leaked: " + err);
    }
}
