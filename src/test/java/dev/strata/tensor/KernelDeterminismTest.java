package dev.strata.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.strata.tensor.quant.Quants;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same inputs must give the same bits on every call, before and after the JIT compiles the
 * kernels (seeded runs and the identity layer path are promised to be bit-exact).
 */
class KernelDeterminismTest {
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "Q8_0", "Q4_0", "Q4_K", "Q6_K"})
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

    private static byte[] floats(float[] w) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(w.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float f : w) b.putFloat(f);
        return b.array();
    }
}
