package dev.strata.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.SharedData;
import dev.strata.weights.Model;
import dev.strata.tensor.NativeKernels;
import dev.strata.tensor.NativeLevel;
import dev.strata.tensor.NativeLibrary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every native level this CPU runs, forced in turn, against llama.cpp's oracle with the dense
 * fixtures' tolerances: Q8_0 and Q4_0 (the GEMM tiles, prompt and decode) and F16 matrices (qwen2).
 * Levels the CPU lacks skip with the reason. K-quants are checked per level against the scalar
 * reference in NativeVsScalarTest, and against the oracle at the chosen level in MoeOracleTest.
 */
class NativeLevelsOracleTest {
    static Stream<Arguments> levelsAndFixtures() {
        String[] fixtures = {"stories260K-Q8_0", "stories260K-Q4_0", "qwen2-tiny-random"};
        return Arrays.stream(NativeLevel.values()).flatMap(l -> Arrays.stream(fixtures).map(f -> Arguments.of(l, f)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("levelsAndFixtures")
    void levelMatchesOracle(NativeLevel level, String name) {
        assumeTrue(NativeLibrary.isAvailable(), "libstrata not available: " + NativeLibrary.unavailableReason());
        assumeTrue(NativeLibrary.cpuRuns(level), "this CPU lacks " + level.label() + " (its best is " + NativeLibrary.cpuLevel().label() + ")");
        NativeKernels kernels = new NativeKernels(level);
        float tolerance = 0.2f;
        try (Model m = Model.load(SharedData.model(name + ".gguf"), kernels); WorkerPool pool = new WorkerPool(2)) {
            Forward f = new Forward(m, kernels, pool);
            List<String> failures = new ArrayList<>();
            float max = 0;
            for (OracleCase oc : OracleCase.load(SharedData.oracle(name))) {
                OracleComparison r = OracleComparison.run(f, oc, tolerance);
                failures.addAll(r.logitFailures);
                failures.addAll(r.greedyFailures);
                max = Math.max(max, r.maxDiff);
            }
            System.out.printf("%s [native %s]: max top-5 logit diff %.5f (tolerance %.3f)%n", name, level.label(), max, tolerance);
            assertTrue(failures.isEmpty(), String.join("\n", failures));
        }
    }
}
