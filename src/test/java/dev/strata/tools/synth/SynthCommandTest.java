package dev.strata.tools.synth;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.SharedData;
import dev.strata.cli.Main;
import dev.strata.weights.Model;
import dev.strata.runtime.ExecutionPlan;
import dev.strata.runtime.Forward;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;
import dev.strata.runtime.WorkerPool;
import dev.strata.tensor.Kernels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SynthCommandTest {
    @TempDir
    Path tmp;

    static String qwenVocab() {
        return SharedData.model("qwen2-tiny-random.gguf").toString();
    }

    @Test
    void sameSeedGivesByteIdenticalFilesAndOtherSeedsDiffer() throws Exception {
        Path a = tmp.resolve("a.gguf"), b = tmp.resolve("b.gguf"), c = tmp.resolve("c.gguf");
        assertEquals(0, Main.run("synth", "--arch", "qwen3", "--type", "Q8_0", "--seed", "7", "-o", a.toString()));
        assertEquals(0, Main.run("synth", "--arch", "qwen3", "--type", "Q8_0", "--seed", "7", "-o", b.toString()));
        assertEquals(0, Main.run("synth", "--arch", "qwen3", "--type", "Q8_0", "--seed", "8", "-o", c.toString()));
        assertEquals(-1, Files.mismatch(a, b), "same seed must give the same bytes");
        assertEquals(Files.size(a), Files.size(c));
        assertNotEquals(-1, Files.mismatch(a, c), "a different seed must give different weights");
    }

    @Test
    void infoReportsTotalAndActiveParametersOfMoe() throws Exception {
        Path f = tmp.resolve("moe.gguf");
        assertEquals(0, Main.run("synth", "--arch", "qwen3moe", "--type", "F16", "-o", f.toString()));
        String out = captureStdout(() -> assertEquals(0, Main.run("info", "-m", f.toString())));
        Matcher m = Pattern.compile("parameters: ([\\d,]+) total, ([\\d,]+) active").matcher(out);
        assertTrue(m.find(), out);
        long total = Long.parseLong(m.group(1).replace(",", "")), active = Long.parseLong(m.group(2).replace(",", ""));
        SynthShape s = SynthShape.presets().get("tiny-qwen3moe");
        long expertParams = 3L * s.embd() * s.expertFfn();
        assertEquals(s.experts() - s.expertsUsed(), (total - active) / expertParams / s.layers(), "inactive experts account for the difference");
        assertTrue(active < total);
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "qwen3moe", "llama", "qwen2moe"})
    void outputsArePeaked(String arch) {
        Path f = tmp.resolve(arch + ".gguf");
        String vocab = arch.equals("llama") ? SharedData.model("llama3-tiny-random.gguf").toString() : qwenVocab();
        assertEquals(0, Main.run("synth", "--arch", arch, "--type", "F32", "--vocab-from", vocab, "-o", f.toString()));
        try (WorkerPool pool = new WorkerPool(2); Model m = Model.load(f, Kernels.select("auto"))) {
            int v = m.config().vocabSize();
            int[] prompt = {1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000};
            float[] logits = new Forward(m, Kernels.select("auto"), pool)
                    .forward(new Sequence(m.config(), ExecutionPlan.identity(m.config().blockCount()), 64, 0), prompt, true, new ForwardStats());
            for (int pos = 0; pos < prompt.length; pos++) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int i = 0; i < v; i++) max = Math.max(max, logits[pos * v + i]);
                for (int i = 0; i < v; i++) sum += Math.exp(logits[pos * v + i] - max);
                double top1 = 1 / sum;
                assertTrue(top1 > 1000.0 / v, arch + " position " + pos + ": top-1 probability " + top1 + " is close to uniform");
                if (pos == prompt.length - 1) System.out.printf("%s: last-position top-1 probability %.3f (uniform %.2e)%n", arch, top1, 1.0 / v);
            }
        }
    }

    @Test
    void llamaPresetShapeAndRopeFactorsMatchLlama32() {
        SynthShape s = SynthShape.resolve(null, "llama-3.2-1b");
        assertEquals(2048, s.embd());
        assertEquals(16, s.layers());
        assertEquals(128256, s.vocab());
        float[] f = s.llama3RopeFactors();
        assertEquals(32, f.length);
        assertEquals(1f, f[0]);
        assertEquals(32f, f[31]);
        for (int i = 1; i < f.length; i++) assertTrue(f[i] >= f[i - 1], "factors rise with wavelength");
    }

    @Test
    void unknownArchPresetOrTypeGiveOneLineErrors() {
        String[][] cases = {
                {"synth", "--arch", "gpt2", "-o", tmp.resolve("x.gguf").toString()},
                {"synth", "--preset", "llama-9b", "-o", tmp.resolve("x.gguf").toString()},
                {"synth", "--arch", "qwen3", "--type", "Q3_K", "-o", tmp.resolve("x.gguf").toString()},
                {"synth", "--arch", "qwen3", "--type", "bogus", "-o", tmp.resolve("x.gguf").toString()},
                {"synth", "--arch", "llama", "--preset", "qwen3-0.6b", "-o", tmp.resolve("x.gguf").toString()},
                {"quantize", SharedData.model("stories260K-F32.gguf").toString(), tmp.resolve("q.gguf").toString(), "Q2_K"},
                {"quantize", SharedData.model("stories260K-Q8_0.gguf").toString(), tmp.resolve("q.gguf").toString(), "Q4_0"}};
        for (String[] args : cases) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream old = System.err;
            System.setErr(new PrintStream(err, true));
            int code;
            try {
                code = Main.run(args);
            } finally {
                System.setErr(old);
            }
            String msg = err.toString().strip();
            assertTrue(code == 1 || code == 2, String.join(" ", args) + " exited " + code);
            assertTrue(msg.startsWith("error: ") && !msg.contains("\n"), "one-line error expected, got: " + msg);
            assertFalse(msg.contains("Exception"), msg);
        }
        assertFalse(Files.exists(tmp.resolve("x.gguf")));
    }

    static String captureStdout(Runnable r) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString();
    }
}
