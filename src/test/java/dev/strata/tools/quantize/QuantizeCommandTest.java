package dev.strata.tools.quantize;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.SharedData;
import dev.strata.cli.Main;
import dev.strata.gguf.GgufFile;
import dev.strata.weights.Model;
import dev.strata.tools.synth.GreedyAgreement;
import dev.strata.runtime.ExecutionPlan;
import dev.strata.runtime.Forward;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;
import dev.strata.runtime.WorkerPool;
import dev.strata.tensor.quant.GgmlType;
import dev.strata.tensor.Kernels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizeCommandTest {
    static final Path STORIES = SharedData.model("stories260K-F32.gguf");
    /** F32 probability lead of top-1 over the quantized model's pick below which a flip counts as a near tie. */
    static final double NEAR_TIE_PROBABILITY = 0.05;
    static final List<String> PROMPTS = List.of("Once upon a time", "The little dog", "Lily and Ben went to the park");

    @TempDir
    static Path tmp;

    @Test
    void q8ReportMatchesIndependentlyComputedAgreementAndKl() {
        Path out = tmp.resolve("stories-Q8_0.gguf");
        // scalar, like the independent computation below: faster kernels sum in another order, which flips near ties
        String stdout = run("quantize", STORIES.toString(), out.toString(), "Q8_0", "--kernels", "scalar");
        Matcher m = Pattern.compile("quality: top-1 agreement ([\\d.]+) over (\\d+) positions \\((\\d+) differ, (\\d+) of them near ties[^)]*\\), mean KL ([\\d.]+)").matcher(stdout);
        assertTrue(m.find(), stdout);
        double reportedTop1 = Double.parseDouble(m.group(1)), reportedKl = Double.parseDouble(m.group(5));
        int reportedPositions = Integer.parseInt(m.group(2)), reportedDiffer = Integer.parseInt(m.group(3)), reportedNearTies = Integer.parseInt(m.group(4));

        int positions = 0, agree = 0, nearTies = 0;
        double kl = 0;
        try (WorkerPool pool = new WorkerPool(2); Model f32 = Model.load(STORIES, Kernels.select("scalar")); Model q8 = Model.load(out, Kernels.select("scalar"))) {
            int v = f32.config().vocabSize();
            for (int[] prompt : QualityReport.prompts(STORIES, v, f32.config().contextLength())) {
                float[] a = logits(f32, pool, prompt), b = logits(q8, pool, prompt);
                for (int pos = 0; pos < prompt.length; pos++) {
                    double[] p = softmax(a, pos * v, v), q = softmax(b, pos * v, v);
                    int ia = 0, ib = 0;
                    for (int i = 0; i < v; i++) {
                        if (p[i] > p[ia]) ia = i;
                        if (q[i] > q[ib]) ib = i;
                        kl += p[i] * (Math.log(p[i]) - Math.log(q[i]));
                    }
                    if (ia == ib) agree++;
                    else {
                        if (p[ia] - p[ib] < QualityReport.NEAR_TIE_LEAD) nearTies++;
                        assertTrue(p[ia] - p[ib] < NEAR_TIE_PROBABILITY, "Q8_0 changed a clear F32 choice at position " + pos
                                + ": p=" + p[ia] + " vs " + p[ib]);
                        System.out.printf("disagreement at position %d, a near tie in F32: p(top-1)=%.3f, p(Q8_0's pick)=%.3f%n", pos, p[ia], p[ib]);
                    }
                    positions++;
                }
            }
        }
        System.out.printf("stories260K Q8_0: independent top-1 %.4f over %d positions, mean KL %.6f; reported: %s%n",
                (double) agree / positions, positions, kl / positions, stdout.strip());
        assertEquals(positions, reportedPositions);
        assertTrue(positions >= 200, "several hundred positions expected, got " + positions);
        assertEquals((double) agree / positions, reportedTop1, 1e-4);
        assertEquals(positions - agree, reportedDiffer);
        assertEquals(nearTies, reportedNearTies);
        assertEquals(kl / positions, reportedKl, 1e-4 + 0.01 * reportedKl);
        try (GgufFile mine = GgufFile.open(out); GgufFile theirs = GgufFile.open(SharedData.model("stories260K-Q8_0.gguf"))) {
            for (var t : theirs.tensors().values()) {
                var m2 = mine.requireTensor(t.name());
                assertEquals(t.type(), m2.type(), t.name());
                assertEquals(-1, t.data().mismatch(m2.data()), t.name() + " must equal llama-quantize's bytes");
            }
        }
        // 0.99 is not what Q8_0 gives on stories260K: llama.cpp itself, running its F32 file against llama-quantize's
        // Q8_0 file (byte-identical to ours, checked above), agrees on 329 of these 338 positions (0.973, see
        // Q8AgreementOracleTest); Strata gets 331 (0.979), every disagreement a near tie in F32.
        assertTrue(reportedTop1 >= 0.97, "Q8_0 top-1 agreement with F32 is " + reportedTop1);
        // Where the source is confident (its own greedy continuations), Q8_0 must follow it: the issue's >= 0.99.
        Matcher c = Pattern.compile("greedy continuations ([\\d.]+) over (\\d+) positions \\((\\d+) differ\\)").matcher(stdout);
        assertTrue(c.find(), stdout);
        assertEquals(QualityReport.PROMPTS.size() * QualityReport.CONTINUATION_TOKENS, Integer.parseInt(c.group(2)));
        assertTrue(Double.parseDouble(c.group(1)) >= 0.99, "Q8_0 agreement on F32's greedy continuations: " + c.group(0));
    }

    @Test
    void typesFollowLlamaQuantizeRulesAndFilesRunInLlamaCpp() {
        Path q8 = tmp.resolve("rules-Q8_0.gguf"), q4k = tmp.resolve("rules-Q4_K.gguf");
        run("quantize", STORIES.toString(), q8.toString(), "Q8_0", "--no-report");
        run("quantize", STORIES.toString(), q4k.toString(), "Q4_K", "--no-report");
        try (GgufFile f = GgufFile.open(q8)) {
            assertEquals(GgmlType.Q8_0, f.requireTensor("blk.0.attn_q.weight").type());
            assertEquals(GgmlType.F32, f.requireTensor("blk.0.ffn_down.weight").type(), "172-wide rows fit no 32-block");
            assertEquals(GgmlType.F32, f.requireTensor("blk.0.attn_norm.weight").type());
            assertEquals(7, f.getInt("general.file_type", -1));
        }
        try (GgufFile f = GgufFile.open(q4k)) {
            assertEquals(GgmlType.Q5_0, f.requireTensor("blk.0.attn_q.weight").type(), "64-wide rows: Q4_K falls back to Q5_0");
            assertEquals(GgmlType.Q8_0, f.requireTensor("output.weight").type(), "output gets Q8_0 when rows are not a multiple of 256");
            assertEquals(GgmlType.F32, f.requireTensor("blk.0.ffn_down.weight").type());
        }
        assertTrue(GreedyAgreement.check(q8, PROMPTS, 24) >= 24);
        assertTrue(GreedyAgreement.check(q4k, PROMPTS, 24) >= 24);
    }

    @Test
    void f16MoeToQ6KEqualsLlamaQuantizeWhereTheTypesAgreeAndQ4KDecodesInLlamaCpp() {
        Path q6 = tmp.resolve("mixtral-Q6_K.gguf"), q4 = tmp.resolve("mixtral-Q4_K.gguf");
        run("quantize", SharedData.model("mixtral-tiny-random-F16.gguf").toString(), q6.toString(), "Q6_K", "--no-report");
        int compared = 0;
        try (GgufFile mine = GgufFile.open(q6); GgufFile theirs = GgufFile.open(SharedData.model("mixtral-tiny-random-Q6_K.gguf"))) {
            assertEquals(GgmlType.F32, mine.requireTensor("blk.0.ffn_gate_inp.weight").type(), "routers are never quantized");
            for (var t : theirs.tensors().values()) {
                var m2 = mine.requireTensor(t.name());
                // llama-quantize's Q6_K mix also moves attn_k/attn_v of 8-expert models to Q8_0, a rule beyond the basic ones
                if (t.type() != m2.type()) continue;
                assertEquals(-1, t.data().mismatch(m2.data()), t.name() + " must equal llama-quantize's bytes");
                compared++;
            }
        }
        assertTrue(compared >= 15, "compared " + compared + " tensors");
        String report = run("quantize", SharedData.model("mixtral-tiny-random-F16.gguf").toString(), q4.toString(), "Q4_K");
        System.out.println("mixtral-tiny F16 -> Q4_K: " + report.strip().replace('\n', ' '));
        try (GgufFile f = GgufFile.open(q4)) {
            assertEquals(GgmlType.Q4_K, f.requireTensor("blk.0.ffn_up_exps.weight").type());
            assertEquals(GgmlType.Q6_K, f.requireTensor("token_embd.weight").type(), "tied output gets Q6_K");
        }
        assertTrue(GreedyAgreement.check(q4, PROMPTS, 20) >= 20);
    }

    @Test
    void kQuantRulesForRowsThatFitTheSuperBlock() {
        long[] shape = {256, 512};
        assertEquals(GgmlType.Q6_K, TypeChoice.forTensor("output.weight", shape, GgmlType.Q4_K, GgmlType.F16, false, true));
        assertEquals(GgmlType.Q6_K, TypeChoice.forTensor("token_embd.weight", shape, GgmlType.Q4_K, GgmlType.F16, false, false));
        assertEquals(GgmlType.Q4_K, TypeChoice.forTensor("token_embd.weight", shape, GgmlType.Q4_K, GgmlType.F16, false, true));
        assertEquals(GgmlType.Q4_K, TypeChoice.forTensor("output.weight", shape, GgmlType.Q4_K, GgmlType.F16, true, true));
        assertEquals(GgmlType.F16, TypeChoice.forTensor("blk.0.ffn_gate_inp.weight", shape, GgmlType.Q4_K, GgmlType.F16, false, true));
        assertEquals(GgmlType.Q8_0, TypeChoice.forTensor("blk.0.attn_q.weight", new long[] {96, 96}, GgmlType.Q6_K, GgmlType.F16, false, true));
    }

    static float[] logits(Model m, WorkerPool pool, int[] tokens) {
        Sequence seq = new Sequence(m.config(), ExecutionPlan.identity(m.config().blockCount()), tokens.length, 0);
        return new Forward(m, Kernels.select("scalar"), pool).forward(seq, tokens, true, new ForwardStats());
    }

    static double[] softmax(float[] x, int off, int n) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int i = 0; i < n; i++) max = Math.max(max, x[off + i]);
        double[] p = new double[n];
        for (int i = 0; i < n; i++) sum += p[i] = Math.exp(x[off + i] - max);
        for (int i = 0; i < n; i++) p[i] /= sum;
        return p;
    }

    static String run(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true));
        int code;
        try {
            code = Main.run(args);
        } finally {
            System.setOut(old);
        }
        assertEquals(0, code, String.join(" ", args));
        return buf.toString();
    }
}
