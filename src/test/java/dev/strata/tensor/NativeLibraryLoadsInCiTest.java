package dev.strata.tensor;

import dev.strata.tensor.quant.GgmlType;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * In CI (CI=true) the native kernels must load, so a broken C build or a missing compiler cannot
 * pass by skipping every native test. Outside CI a machine without a compiler is allowed.
 */
class NativeLibraryLoadsInCiTest {

    @Test
    void nativeKernelsLoadInCi() {
        assumeTrue("true".equalsIgnoreCase(System.getenv("CI")), "CI is not true: a machine without a C compiler may skip native tests");
        assertTrue(NativeLibrary.isAvailable(), "CI=true but libstrata did not load: " + NativeLibrary.unavailableReason());
        assertTrue(NativeLibrary.level().compareTo(NativeLevel.PORTABLE) >= 0, NativeLibrary.describe());
    }

    @Test
    void forcedLevelAboveTheCpuIsRefused() {
        assumeTrue(NativeLibrary.isAvailable(), "libstrata not available: " + NativeLibrary.unavailableReason());
        for (NativeLevel l : NativeLevel.values()) {
            if (!NativeLibrary.cpuRuns(l)) {
                var e = org.junit.jupiter.api.Assertions.assertThrows(dev.strata.StrataException.class, () -> new NativeKernels(l));
                assertTrue(e.getMessage().contains(l.label()), e.getMessage());
            }
        }
        assertTrue(NativeLibrary.kernelName(GgmlType.Q4_0, NativeLibrary.cpuLevel()).contains("q4_0"));
    }
}
