package dev.strata.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.SharedData;
import dev.strata.model.Model;
import dev.strata.tensor.KernelProvider;
import dev.strata.tensor.Kernels;
import dev.strata.tensor.NativeLibrary;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Teacher-forced top-5 logits and greedy tokens with the native kernels against llama.cpp's
 * oracle, on the quantized dense fixtures (Q8_0, Q4_0 matmuls in libstrata). The K-quant
 * fixtures run through MoeOracleTest, whose "auto" kernels are native where libstrata loads.
 */
class NativeOracleTest {
    static WorkerPool pool;

    @BeforeAll
    static void start() {
        pool = new WorkerPool(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"stories260K-Q8_0, 0.2", "stories260K-Q4_0, 0.2"})
    void matchesOracle(String name, float tolerance) {
        assumeTrue(NativeLibrary.isAvailable(), "libstrata not available: " + NativeLibrary.unavailableReason());
        KernelProvider k = Kernels.select("native");
        assertEquals("native", k.name());
        try (Model m = Model.load(SharedData.model(name + ".gguf"), k)) {
            Forward f = new Forward(m, k, pool);
            List<String> failures = new ArrayList<>();
            float max = 0;
            int cases = 0;
            for (OracleCase oc : OracleCase.load(SharedData.oracle(name))) {
                OracleComparison r = OracleComparison.run(f, oc, tolerance);
                failures.addAll(r.logitFailures);
                failures.addAll(r.greedyFailures);
                max = Math.max(max, r.maxDiff);
                cases++;
            }
            System.out.printf("%s [native]: %d cases, max top-5 logit diff %.5f (tolerance %.3f)%n", name, cases, max, tolerance);
            assertTrue(cases > 0, "no oracle cases for " + name);
            assertTrue(failures.isEmpty(), String.join("\n", failures));
        }
    }
}
