package dev.strata.tools.synth;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.SharedData;
import dev.strata.cli.Main;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Models written by {@code strata synth} load in llama.cpp and decode there as in Strata. The bundled
 * llama.cpp (de.kherud:llama 4.2.0) predates Qwen3 ("unknown model architecture: 'qwen3'"), so qwen3
 * and qwen3moe are checked against a newer llama.cpp (npm build, through FFM) in {@link Qwen3LlamaCppOracleTest}, and a float64 reference in {@link Qwen3ReferenceTest}.
 */
class SynthOracleTest {
    static final List<String> PROMPTS = List.of("The capital of France is", "def fibonacci(n):", "Once upon a time");
    static final int STEPS = 20;

    @TempDir
    static Path tmp;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"qwen2, F16, qwen2-tiny-random", "llama, F16, llama3-tiny-random", "llama, Q8_0, llama3-tiny-random", "qwen2moe, Q8_0, qwen2-tiny-random"})
    void greedyTokensMatchLlamaCpp(String arch, String type, String vocab) {
        Path f = tmp.resolve(arch + "-" + type + ".gguf");
        assertEquals(0, Main.run("synth", "--arch", arch, "--type", type, "--seed", "3",
                "--vocab-from", SharedData.model(vocab + ".gguf").toString(), "-o", f.toString()));
        int matched = GreedyAgreement.check(f, PROMPTS, STEPS);
        assertTrue(matched >= STEPS, "at least one prompt's worth of steps must match before any near tie, got " + matched);
    }
}
