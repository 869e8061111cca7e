package dev.strata.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.SharedData;
import dev.strata.weights.Model;
import dev.strata.tensor.Kernels;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import dev.strata.tensor.NativeLibrary;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Teacher-forced top-5 logits and greedy tokens of every dense fixture against llama.cpp's oracle, per kernel
 * set (native where libstrata loads; the K-quant fixtures run in MoeOracleTest with "auto").
 */
class DenseOracleTest {
    static WorkerPool pool;

    @BeforeAll
    static void start() {
        pool = new WorkerPool(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    static Stream<Arguments> fixtures() {
        return Stream.of(
                Arguments.of("stories260K-F32", 0.02f, "scalar"),
                Arguments.of("stories260K-F32", 0.02f, "panama"),
                Arguments.of("stories260K-Q8_0", 0.2f, "panama"),
                Arguments.of("stories260K-Q4_0", 0.2f, "panama"),
                Arguments.of("stories260K-Q4_0", 0.2f, "scalar"),
                Arguments.of("stories260K-Q8_0", 0.2f, "native"),
                Arguments.of("stories260K-Q4_0", 0.2f, "native"),
                Arguments.of("llama3-tiny-random", 0.2f, "panama"),
                Arguments.of("qwen2-tiny-random", 0.2f, "panama"));
    }

    @ParameterizedTest(name = "{0} ({2})")
    @MethodSource("fixtures")
    void matchesOracle(String name, float tolerance, String kernels) {
        if (kernels.equals("native")) {
            assumeTrue(NativeLibrary.isAvailable(), "libstrata not available: " + NativeLibrary.unavailableReason());
        }
        try (Model m = Model.load(SharedData.model(name + ".gguf"), Kernels.select(kernels))) {
            Forward f = new Forward(m, Kernels.select(kernels), pool);
            List<String> failures = new ArrayList<>();
            float max = 0;
            int ties = 0;
            for (OracleCase oc : OracleCase.load(SharedData.oracle(name))) {
                OracleComparison r = OracleComparison.run(f, oc, tolerance);
                failures.addAll(r.logitFailures);
                failures.addAll(r.greedyFailures);
                max = Math.max(max, r.maxDiff);
                ties += r.nearTies;
            }
            System.out.printf("%s [%s]: max top-5 logit diff %.5f (tolerance %.3f), near ties skipped %d%n", name, kernels, max, tolerance, ties);
            assertTrue(failures.isEmpty(), String.join("\n", failures));
        }
    }
}
