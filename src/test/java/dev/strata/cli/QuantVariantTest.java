package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.eval.Variant;
import dev.strata.eval.stats.PairedBootstrap;
import dev.strata.gguf.GgufFile;
import dev.strata.model.DefaultModel;
import dev.strata.research.Decision;
import dev.strata.research.Plans;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;
import dev.strata.tensor.Tensor;
import dev.strata.tools.quantize.LayerTypes;
import dev.strata.tools.quantize.QuantizedEngine;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quant variants requantize weights in memory. The truth is a file {@code strata quantize
 * --tensor-type} wrote with the same per-tensor types, opened through the ordinary mapped path: its
 * logits, its weight bytes (summed from the file's tensor table) and its greedy text.
 */
class QuantVariantTest {
    private static final Path MODEL = DefaultModel.resolve();
    private static final int[] TOKENS = {1, 5, 9, 14, 3, 7};
    private static final Pattern ACCOUNTING = Pattern.compile("(\\d+) weight bytes/token");
    @TempDir Path temp;

    private Path quantizeFile(String name, String pattern, String type) {
        Path out = temp.resolve(name);
        CliTest.Result r = CliTest.run("quantize", MODEL.toString(), out.toString(), "F32", "--tensor-type", pattern + "=" + type, "--no-report");
        assertEquals(0, r.code(), r.err());
        return out;
    }

    /** Logits of the last token after feeding TOKENS one at a time; stats collects the weight bytes. */
    private static float[] logits(Engine engine, ForwardStats stats) {
        Sequence seq = engine.newSequence(null, 0, 64);
        float[] last = null;
        for (int t : TOKENS) last = engine.forward().forward(seq, new int[] {t}, false, stats).clone();
        return last;
    }

    @Test
    void aQuantVariantComputesWhatTheQuantizedFileComputes() {
        for (String[] c : List.of(new String[] {"2=Q4_0", "blk\\.2\\.", "Q4_0"}, new String[] {"*=Q4_K", "blk\\.", "Q4_K"},
                new String[] {"0-1=Q8_0", "blk\\.[01]\\.", "Q8_0"})) {
            Path file = quantizeFile("q-" + c[2] + ".gguf", c[1], c[2]);
            try (Engine inMemory = QuantizedEngine.open(MODEL, 1, "panama", null, LayerTypes.parse(c[0]));
                    Engine written = Engine.open(file, 1, "panama");
                    Engine source = Engine.open(MODEL, 1, "panama")) {
                float[] a = logits(inMemory, new ForwardStats()), b = logits(written, new ForwardStats()), f32 = logits(source, new ForwardStats());
                assertArrayEquals(b, a, c[0] + ": bit-identical logits to the file's");
                assertFalse(Arrays.equals(f32, a), c[0] + ": the weights did change");
            }
        }
    }

    @Test
    void weightBytesPerTokenAreTheQuantizedFilesBytes() {
        Path file = quantizeFile("all-q4_0.gguf", "blk\\.", "Q4_0");
        long fileBytes = 0, sourceBytes = 0;
        try (GgufFile f = GgufFile.open(file); GgufFile src = GgufFile.open(MODEL)) {
            fileBytes = matrixBytes(f);
            sourceBytes = matrixBytes(src);
        }
        ForwardStats quantStats = new ForwardStats(), baseStats = new ForwardStats();
        try (Engine q = QuantizedEngine.open(MODEL, 1, "panama", null, LayerTypes.parse("*=Q4_0")); Engine base = Engine.open(MODEL, 1, "panama")) {
            logits(q, quantStats);
            logits(base, baseStats);
        }
        assertEquals(fileBytes, quantStats.weightBytes / TOKENS.length, "weight bytes per token of quant:*=Q4_0 = the Q4_0 file's matrices");
        assertEquals(sourceBytes, baseStats.weightBytes / TOKENS.length);
        assertTrue(fileBytes < sourceBytes / 3, fileBytes + " vs " + sourceBytes);

        String[] gen = {"-p", "1 + 2 =", "-n", "4", "--temp", "0", "-t", "1", "--kernels", "panama"};
        CliTest.Result viaFlag = CliTest.run(concat(new String[] {"generate", "--quant", "*=Q4_0"}, gen));
        CliTest.Result viaFile = CliTest.run(concat(new String[] {"generate", "-m", file.toString()}, gen));
        assertEquals(0, viaFlag.code(), viaFlag.err());
        assertEquals(viaFile.out(), viaFlag.out());
        assertEquals(accountedBytes(viaFile.err()), accountedBytes(viaFlag.err()));
    }

    @Test
    void aKeptQuantPlanRunsInGenerateAndEvalAsTheWrittenFileDoes() {
        var kept = new Decision("quant:2=Q4_0", Decision.Stages.HELD_OUT, Decision.KEEP, 10, 0.6, 0.5, new PairedBootstrap.Interval(0.1, 0.0, 0.2),
                0.01, 0.02, 1, 1, "kept");
        Path plans = Plans.write(temp, List.of(kept), "0".repeat(64));
        var plan = Plans.read(plans).get(0);
        assertEquals("2=Q4_0", plan.quant());
        assertEquals("quant-2-Q4-0", plan.name());
        Path file = quantizeFile("l2-q4_0.gguf", "blk\\.2\\.", "Q4_0");
        String[] gen = {"-p", "7 * 3 =", "-n", "4", "--temp", "0", "-t", "1", "--kernels", "panama"};
        CliTest.Result byPlan = CliTest.run(concat(new String[] {"generate", "--plan", plans + "#" + plan.name()}, gen));
        CliTest.Result byFile = CliTest.run(concat(new String[] {"generate", "-m", file.toString()}, gen));
        assertEquals(0, byPlan.code(), byPlan.err());
        assertEquals(byFile.out(), byPlan.out());
        assertEquals(accountedBytes(byFile.err()), accountedBytes(byPlan.err()));

        CliTest.Result eval = CliTest.run("eval", "--plan", plans + "#" + plan.name(), "--limit", "2", "-t", "1", "--no-progress",
                "--out", temp.resolve("e").toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("quant:2=Q4_0"), eval.out());
        CliTest.Result both = CliTest.run("generate", "--plan", plans + "#" + plan.name(), "--quant", "*=Q8_0", "-p", "x", "-n", "1");
        assertEquals(1, both.code());
    }

    @Test
    void theVariantSyntaxIsCanonicalAndBadSpecsAreOneLineErrors() {
        Variant v = Variant.parse("dup:1-2+quant:0-0=q8_0+quant:*=Q4_K");
        assertEquals("dup:1-2+quant:0=Q8_0+quant:*=Q4_K", v.canonical());
        assertEquals(v, Variant.parse(v.canonical()));
        assertNotEquals(Variant.BASE.hash(), Variant.parse("quant:*=Q4_0").hash());
        assertEquals("base", new Variant(null, 0, null, null).canonical(), "variants without weight types keep their names");
        for (String bad : List.of("quant:2=Q3_K", "quant:2", "quant:3-1=Q4_0", "quant:x=Q4_0")) {
            CliTest.Result r = CliTest.run("eval", "--variants", bad, "--out", temp.resolve("bad").toString());
            assertEquals(1, r.code(), bad + ": " + r.out());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        CliTest.Result badPattern = CliTest.run("quantize", MODEL.toString(), temp.resolve("x.gguf").toString(), "F32", "--tensor-type", "blk\\.(=Q4_0");
        assertEquals(1, badPattern.code());
        assertTrue(badPattern.err().contains("not a regular expression"), badPattern.err());
        CliTest.Result outOfRange = CliTest.run("eval", "--variants", "base;quant:9=Q4_0", "--out", temp.resolve("oor").toString());
        assertEquals(1, outOfRange.code());
        assertTrue(outOfRange.err().contains("layers 0..3"), outOfRange.err());
    }

    private static long matrixBytes(GgufFile f) {
        boolean tied = f.tensor("output.weight") == null;
        long n = 0;
        for (Tensor t : f.tensors().values())
            if (t.shape().length >= 2 && (tied || !t.name().equals("token_embd.weight"))) n += t.data().byteSize();
        return n;
    }

    private static long accountedBytes(String err) {
        Matcher m = ACCOUNTING.matcher(err);
        assertTrue(m.find(), err);
        return Long.parseLong(m.group(1));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
