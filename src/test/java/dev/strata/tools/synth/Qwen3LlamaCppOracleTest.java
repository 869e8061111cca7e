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
import dev.strata.tensor.KernelProvider;
import dev.strata.tensor.Kernels;
import dev.strata.tensor.NativeKernels;
import dev.strata.tensor.NativeLevel;
import dev.strata.tensor.NativeLibrary;
import dev.strata.testoracle.DecodeTrace;
import dev.strata.testoracle.LlamaCppNative;
import dev.strata.testoracle.TraceComparison;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * qwen3 and qwen3moe models written by {@code strata synth} against a recent llama.cpp in process
 * ({@link LlamaCppNative}; the bundled de.kherud build predates Qwen3). llama.cpp decodes each prompt
 * greedily (prompt in one batch, then token by token); Strata is teacher-forced on the same tokens and
 * must match the top-5 logits of every step within the shared README's tolerances, and pick the same
 * greedy token wherever llama.cpp's top-1/top-2 gap exceeds the tolerance.
 */
class Qwen3LlamaCppOracleTest {
    static final List<String> PROMPTS = List.of("The capital of France is", "def fibonacci(n):",
            "<|im_start|>user\nOnce upon a time<|im_end|>\n<|im_start|>assistant\n");
    static final int STEPS = 24, CONTEXT = 256;
    /**
     * The oracle is llama.cpp's AVX2 (haswell) build, so Strata runs its AVX2 level where it can: the MoE files have
     * router near ties (10-13 here), and at those a different float summation order (AVX-512's) may pick another
     * expert, which the shared README allows but which would hide real errors behind a looser tolerance.
     */
    static final KernelProvider K = NativeLibrary.isAvailable() && NativeLibrary.cpuRuns(NativeLevel.AVX2)
            ? new NativeKernels(NativeLevel.AVX2) : Kernels.select("auto");

    @TempDir
    static Path tmp;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"qwen3, F32, 0.02", "qwen3, Q8_0, 0.2", "qwen3, Q4_K, 0.3", "qwen3moe, F32, 0.02", "qwen3moe, Q8_0, 0.2", "qwen3moe, Q4_K, 0.3"})
    void logitsAndGreedyTokensMatchLlamaCpp(String arch, String type, float tolerance) {
        LlamaCppNative.assumeAvailable();
        Path f = tmp.resolve(arch + "-" + type + ".gguf");
        assertEquals(0, Main.run("synth", "--arch", arch, "--type", type, "--seed", "5",
                "--vocab-from", SharedData.model("qwen2-tiny-random.gguf").toString(), "-o", f.toString()));
        TraceComparison cmp = new TraceComparison();
        try (LlamaCppNative llama = new LlamaCppNative(f, CONTEXT, 1); WorkerPool pool = new WorkerPool(2); Model m = Model.load(f, K)) {
            Forward forward = new Forward(m, K, pool);
            int vocab = m.config().vocabSize();
            assertEquals(llama.vocabSize(), vocab);
            for (String prompt : PROMPTS) {
                DecodeTrace t = DecodeTrace.greedy(llama, llama.tokenize(prompt, true), STEPS, 5);
                assertTrue(Arrays.stream(t.generatedIds()).distinct().count() > 2, "llama.cpp's greedy output is degenerate");
                int[] input = t.teacherForcedInput();
                Sequence seq = new Sequence(m.config(), ExecutionPlan.identity(m.config().blockCount()), CONTEXT, 0);
                float[] all = forward.forward(seq, input, true, new ForwardStats());
                float[][] rows = new float[input.length][];
                for (int i = 0; i < rows.length; i++) rows[i] = Arrays.copyOfRange(all, i * vocab, (i + 1) * vocab);
                cmp.add(prompt.strip().replace('\n', ' '), t, rows, tolerance);
            }
        }
        System.out.printf("%s %s: Strata vs llama.cpp: %s%n", arch, type, cmp.summary());
        assertTrue(cmp.logitFailures.isEmpty(), String.join("\n", cmp.logitFailures));
        assertTrue(cmp.greedyFailures.isEmpty(), String.join("\n", cmp.greedyFailures));
    }
}
