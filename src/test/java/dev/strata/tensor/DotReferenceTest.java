package dev.strata.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.tensor.quant.Half;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import dev.strata.tensor.quant.Activations;
import dev.strata.tensor.quant.GgmlType;

/** Dots against an independent float64 reference: dequantize(weights) . dequantize(prepared activations). */
class DotReferenceTest {

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void scalarAndPanamaMatchFloat64Reference(GgmlType type) {
        int cols = 768, rows = 6, nTokens = 3;
        Random rnd = new Random(99 + type.id);
        Tensor w = TestTensors.quantized("w", type, TestTensors.gaussian(rnd, cols * rows, 0.05f), cols, rows);
        float[] wf = TestTensors.dequantizeAll(w);
        float[] x = TestTensors.gaussian(rnd, cols * nTokens, 1f);
        for (String name : new String[] {"scalar", "panama"}) {
            KernelProvider k = Kernels.select(name);
            Activations a = k.prepare(type, x, nTokens, cols);
            double[] xd = TestTensors.dequantize(a);
            float[] out = new float[rows * nTokens];
            k.matmul(w, a, out, rows, 0, rows);
            for (int t = 0; t < nTokens; t++) {
                for (int r = 0; r < rows; r++) {
                    double ref = 0, absSum = 0;
                    for (int c = 0; c < cols; c++) {
                        double p = wf[r * cols + c] * xd[t * cols + c];
                        ref += p;
                        absSum += Math.abs(p);
                    }
                    ref += q8_1SumCorrection(w, r, a, t);
                    // float accumulation over at most cols terms: a few ulps of the abs-sum
                    assertEquals(ref, out[t * rows + r], 4e-7 * absSum * Math.sqrt(cols / 32.0), name + " " + type + " t=" + t + " r=" + r);
                }
            }
        }
    }

    /**
     * Q4_1/Q5_1 dots use block_q8_1.s = fp16(d*sum(q)) for the min term, not sum(q)*fp16(d): this
     * is the exact difference m*(s - d*sum(q)) per block, so the reference models ggml's format.
     */
    private static double q8_1SumCorrection(Tensor w, int row, Activations a, int t) {
        if (a.dotType != GgmlType.Q8_1) return 0;
        int nb = a.cols / 32;
        double corr = 0;
        for (int b = 0; b < nb; b++) {
            float m = Half.getF16(w.data(), w.rowOffset(row) + (long) b * w.type().typeSize + 2);
            int blk = t * nb + b;
            long sumQ = 0;
            for (int j = 0; j < 32; j++) sumQ += a.q[blk * 32 + j];
            corr += (double) m * (a.s[blk] - (double) a.d[blk] * sumQ);
        }
        return corr;
    }
}
