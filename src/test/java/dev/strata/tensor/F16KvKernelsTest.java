package dev.strata.tensor;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.tensor.quant.Half;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The KV cache's F16 dot and axpy: every provider against a float64 reference and against each other. */
class F16KvKernelsTest {
    static final int[] LENGTHS = {1, 7, 8, 16, 33, 64, 128};

    private static MemorySegment halves(Arena arena, float[] values, long pad) {
        MemorySegment s = arena.allocate(pad + 2L * values.length);
        for (int i = 0; i < values.length; i++) Half.putF16(s, pad + 2L * i, values[i]);
        return s;
    }

    @Test
    void dotAgreesWithFloat64ReferenceOnEveryProvider() {
        Random rnd = new Random(3);
        try (Arena arena = Arena.ofConfined()) {
            for (int n : LENGTHS) {
                float[] a = new float[n + 3], b = new float[n];
                for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextGaussian();
                for (int i = 0; i < n; i++) b[i] = Half.roundF16((float) rnd.nextGaussian());
                MemorySegment seg = halves(arena, b, 6);
                double ref = 0, abs = 0;
                for (int i = 0; i < n; i++) {
                    ref += (double) a[3 + i] * b[i];
                    abs += Math.abs((double) a[3 + i] * b[i]);
                }
                for (KernelProvider k : new KernelProvider[] {new ScalarKernels(), new PanamaKernels()}) {
                    float got = k.dotF16(a, 3, seg, 6, n);
                    assertEquals(ref, got, 1e-6 * abs + 1e-7, k.name() + " n=" + n);
                }
                // the scalar dot of the same F16 values held as floats sums the same products in the same order
                assertEquals(Float.floatToIntBits(new ScalarKernels().dot(a, 3, b, 0, n)),
                        Float.floatToIntBits(new ScalarKernels().dotF16(a, 3, seg, 6, n)), "scalar n=" + n);
            }
        }
    }

    @Test
    void axpyAgreesWithFloat64ReferenceOnEveryProvider() {
        Random rnd = new Random(4);
        try (Arena arena = Arena.ofConfined()) {
            for (int n : LENGTHS) {
                float[] x = new float[n], y0 = new float[n + 5];
                for (int i = 0; i < n; i++) x[i] = Half.roundF16((float) rnd.nextGaussian());
                for (int i = 0; i < y0.length; i++) y0[i] = (float) rnd.nextGaussian();
                MemorySegment seg = halves(arena, x, 2);
                float alpha = (float) rnd.nextGaussian();
                float[] scalar = y0.clone(), panama = y0.clone();
                new ScalarKernels().axpyF16(alpha, seg, 2, scalar, 5, n);
                new PanamaKernels().axpyF16(alpha, seg, 2, panama, 5, n);
                for (int i = 0; i < 5; i++) assertEquals(y0[i], panama[i], "untouched prefix");
                for (int i = 0; i < n; i++) {
                    double ref = y0[5 + i] + (double) alpha * x[i];
                    double tol = 1e-6 * (Math.abs(y0[5 + i]) + Math.abs(alpha * x[i])) + 1e-7;
                    assertEquals(ref, scalar[5 + i], tol, "scalar n=" + n + " i=" + i);
                    assertEquals(ref, panama[5 + i], tol, "panama n=" + n + " i=" + i);
                    assertEquals(scalar[5 + i], panama[5 + i], tol, "panama (one FMA) vs scalar (two roundings) n=" + n + " i=" + i);
                }
            }
        }
    }
}
