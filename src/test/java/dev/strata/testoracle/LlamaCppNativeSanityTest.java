package dev.strata.testoracle;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The FFM-bound recent llama.cpp against the shared oracle files, written by llama.cpp c392e5094 (Feb
 * 2025): same prompt tokens, and the same top-5 logits when fed the old oracle's tokens (prompt in one
 * batch, then one token per step). This checks the binding (struct fields, batch layout, logits rows),
 * so the new oracle can stand in for the old one where the old one cannot go (qwen3, qwen3moe).
 */
class LlamaCppNativeSanityTest {
    /**
     * Both builds run the same AVX2 kernels, so they agree to the files' 6 decimals (measured: no
     * difference at all); this bound leaves room for a CPU that cannot run the AVX2 backend.
     */
    static final float TOLERANCE = 0.001f;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"stories260K-F32", "llama3-tiny-random", "qwen2-tiny-random", "qwen2moe-tiny-random"})
    void agreesWithTheSharedOracleFiles(String model) throws IOException {
        LlamaCppNative.assumeAvailable();
        TraceComparison cmp = new TraceComparison();
        int tokenizations = 0;
        String backend;
        try (LlamaCppNative llama = new LlamaCppNative(SharedData.model(model + ".gguf"), 256, 1)) {
            backend = llama.cpuBackend();
            for (String line : Files.readAllLines(SharedData.oracle(model))) {
                if (line.isBlank()) continue;
                JsonNode n = new ObjectMapper().readTree(line);
                DecodeTrace old = DecodeTrace.fromJson(n);
                if (java.util.Arrays.equals(llama.tokenize(n.get("prompt").asText(), true), old.promptIds())) tokenizations++;
                cmp.add(n.get("id").asText(), old, teacherForced(llama, old), TOLERANCE);
            }
        }
        System.out.printf("%s: new llama.cpp (%s) vs shared oracle file: %s (%.1e), %d prompts tokenized alike%n", model, backend, cmp.summary(), cmp.maxDiff, tokenizations);
        assertTrue(cmp.logitFailures.isEmpty(), String.join("\n", cmp.logitFailures));
        assertTrue(cmp.greedyFailures.isEmpty(), String.join("\n", cmp.greedyFailures));
        assertTrue(tokenizations > 0, "no prompt tokenized as in the oracle file");
    }

    /** Logits rows at the positions the trace's steps read, decoded as the oracle did. */
    static float[][] teacherForced(LlamaCppNative llama, DecodeTrace t) {
        int p = t.promptIds().length, steps = t.generatedIds().length;
        float[][] rows = new float[p + steps - 1][];
        llama.reset();
        rows[p - 1] = llama.decode(t.promptIds(), false)[0];
        for (int s = 1; s < steps; s++) rows[p - 1 + s] = llama.decode(new int[] {t.generatedIds()[s - 1]}, false)[0];
        return rows;
    }


}
