package dev.strata.tensor;

import dev.strata.tensor.quant.Quants;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import dev.strata.tensor.quant.Activations;
import dev.strata.tensor.quant.GgmlType;

/** Seeded random data and tensors quantized with the reference quantizers. */
final class TestTensors {
    private TestTensors() {}

    static final GgmlType[] TYPES = {
        GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_1,
        GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K
    };

    /** Gaussian values with a per-32 scale drift and an occasional outlier, like real weights. */
    static float[] gaussian(Random rnd, int n, float sigma) {
        float[] x = new float[n];
        float scale = sigma;
        for (int i = 0; i < n; i++) {
            if (i % 32 == 0) scale = sigma * (0.5f + rnd.nextFloat());
            x[i] = (float) (rnd.nextGaussian() * scale);
            if (rnd.nextInt(97) == 0) x[i] *= 4;
        }
        return x;
    }

    static Tensor quantized(String name, GgmlType type, float[] values, int cols, int rows) {
        byte[] bytes = new byte[(int) type.bytesFor((long) cols * rows)];
        MemorySegment seg = MemorySegment.ofArray(bytes);
        for (int r = 0; r < rows; r++) Quants.quantize(type, values, r * cols, cols, seg, r * type.bytesFor(cols));
        return new Tensor(name, type, new long[] {cols, rows}, seg);
    }

    static float[] dequantizeAll(Tensor t) {
        int cols = t.cols();
        float[] out = new float[(int) (cols * t.rows())];
        for (int r = 0; r < t.rows(); r++) Quants.dequantize(t.type(), t.data(), t.rowOffset(r), out, r * cols, cols);
        return out;
    }

    /** Float values the prepared activations stand for (q*d for the quantized dot types). */
    static double[] dequantize(Activations a) {
        int n = a.nTokens * a.cols;
        double[] out = new double[n];
        if (a.f != null) {
            for (int i = 0; i < n; i++) out[i] = a.f[i];
        } else {
            int bs = a.dotType.blockSize;
            for (int i = 0; i < n; i++) out[i] = (double) a.q[i] * a.d[i / bs];
        }
        return out;
    }
}
