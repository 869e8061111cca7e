package dev.strata.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.strata.tensor.quant.Quants;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import dev.strata.tensor.quant.GgmlType;

/**
 * The same inputs must give the same bits on every call, before and after the JIT compiles the
 * kernels (seeded runs and the identity layer path are promised to be bit-exact).
 */
class KernelDeterminismTest {
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void panamaMatmulIsBitStableAcrossJitCompilation(GgmlType type) {
        int cols = 512, rows = 4;
        Random rnd = new Random(7);
        float[] w = new float[cols * rows], x = new float[cols];
        for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        byte[] bytes = type == GgmlType.F32 ? floats(w) : Quants.quantize(type, w, 0, w.length);
        Tensor t = new Tensor("w", type, new long[] {cols, rows}, MemorySegment.ofArray(bytes));
        KernelProvider k = Kernels.select("panama");
        float[] first = new float[rows], out = new float[rows];
        k.matmul(t, k.prepare(type, x, 1, cols), first, rows, 0, rows);
        for (int i = 0; i < 30_000; i++) {
            k.matmul(t, k.prepare(type, x, 1, cols), out, rows, 0, rows);
            if (i % 1000 == 0) assertArrayEquals(first, out, "call " + i);
        }
        assertArrayEquals(first, out);
    }

    @org.junit.jupiter.api.Test
    void elementwiseOpsAreBitStableAcrossJitCompilation() {
        KernelProvider k = Kernels.select("panama");
        Random rnd = new Random(3);
        float[] x = new float[100], w = new float[100], up = new float[100];
        for (int i = 0; i < 100; i++) {
            x[i] = (float) rnd.nextGaussian() * 4;
            w[i] = (float) rnd.nextGaussian();
            up[i] = (float) rnd.nextGaussian();
        }
        float[] first = null;
        for (int it = 0; it < 30_000; it++) {
            float[] g = x.clone(), norm = new float[100];
            k.siluMul(g, 0, up, 0, 100);
            k.rmsnorm(norm, 0, g, 0, w, 100, 1e-5f);
            float[] soft = x.clone();
            double sum = k.expShifted(soft, 0, 100, 3f);
            float[] r = java.util.Arrays.copyOf(norm, 202);
            r[100] = k.dot(norm, 0, up, 0, 100);
            System.arraycopy(soft, 0, r, 101, 100);
            r[201] = (float) sum;
            if (first == null) first = r;
            else if (it % 1000 == 0) assertArrayEquals(first, r, "call " + it);
        }
    }

    private static byte[] floats(float[] w) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(w.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float f : w) b.putFloat(f);
        return b.array();
    }
}
