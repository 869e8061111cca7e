package dev.strata.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.SharedData;
import dev.strata.gguf.GgufFile;
import dev.strata.tensor.quant.Quants;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import dev.strata.tensor.quant.Activations;
import dev.strata.tensor.quant.GgmlType;

/** Dequantizes rows of real GGUF tensors from ../shared/models. */
class RealWeightsTest {

    @ParameterizedTest
    @CsvSource({
        "mixtral-tiny-random-Q4_K_M.gguf, blk.0.attn_q.weight, Q4_K",
        "mixtral-tiny-random-Q4_K_M.gguf, blk.0.attn_output.weight, Q5_K",
        "mixtral-tiny-random-Q4_K_M.gguf, token_embd.weight, Q6_K",
        "mixtral-tiny-random-Q4_K_M.gguf, blk.0.attn_k.weight, Q8_0",
        "stories260K-Q4_0.gguf, blk.0.attn_q.weight, Q4_0",
        "stories260K-Q8_0.gguf, blk.0.attn_q.weight, Q8_0",
        "mixtral-tiny-random-F16.gguf, blk.0.attn_q.weight, F16",
    })
    void rowsDequantizeToPlausibleValuesAndMatchBetweenProviders(String model, String tensorName, String typeName) {
        try (GgufFile f = GgufFile.open(SharedData.require(SharedData.model(model)))) {
            Tensor t = f.requireTensor(tensorName);
            assertEquals(GgmlType.parse(typeName), t.type());
            int cols = t.cols();
            for (long row : new long[] {0, t.rows() / 2, t.rows() - 1}) {
                float[] a = new float[cols], b = new float[cols];
                new ScalarKernels().dequantizeRow(t, row, a, 0);
                new PanamaKernels().dequantizeRow(t, row, b, 0);
                assertArrayEquals(a, b, 0f);
                double maxAbs = 0, sumAbs = 0;
                for (float v : a) {
                    assertTrue(Float.isFinite(v), tensorName + " row " + row + " has a non-finite value");
                    maxAbs = Math.max(maxAbs, Math.abs(v));
                    sumAbs += Math.abs(v);
                }
                assertTrue(maxAbs > 1e-4 && maxAbs < 100, tensorName + " row " + row + " max |w| = " + maxAbs);
                assertTrue(sumAbs / cols > 1e-5, tensorName + " row " + row + " mean |w| = " + sumAbs / cols);
            }
        }
    }

    /** ggml's ref quantizer maps a dequantized Q8_0 / Q4_0 row back to the same bytes. */
    @ParameterizedTest
    @CsvSource({
        "mixtral-tiny-random-Q4_K_M.gguf, blk.0.attn_k.weight",
        "stories260K-Q8_0.gguf, blk.0.attn_q.weight",
        "stories260K-Q4_0.gguf, blk.0.attn_q.weight",
        "stories260K-Q4_0.gguf, blk.1.ffn_up.weight",
    })
    void requantizingADequantizedRowReproducesItsBytes(String model, String tensorName) {
        try (GgufFile f = GgufFile.open(SharedData.require(SharedData.model(model)))) {
            Tensor t = f.requireTensor(tensorName);
            int cols = t.cols();
            for (long row = 0; row < Math.min(t.rows(), 16); row++) {
                float[] values = new float[cols];
                Quants.dequantize(t.type(), t.data(), t.rowOffset(row), values, 0, cols);
                byte[] requantized = Quants.quantize(t.type(), values, 0, cols);
                byte[] original = t.data().asSlice(t.rowOffset(row), t.rowBytes()).toArray(ValueLayout.JAVA_BYTE);
                assertArrayEquals(original, requantized, tensorName + " row " + row);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"mixtral-tiny-random-Q4_K_M.gguf, blk.0.attn_q.weight", "mixtral-tiny-random-Q4_K_M.gguf, token_embd.weight"})
    void realRowsDotLikeTheirDequantizedValues(String model, String tensorName) {
        try (GgufFile f = GgufFile.open(SharedData.require(SharedData.model(model)))) {
            Tensor t = f.requireTensor(tensorName);
            int cols = t.cols(), rows = 8;
            float[] x = TestTensors.gaussian(new java.util.Random(5), cols, 1f);
            for (KernelProvider k : new KernelProvider[] {new ScalarKernels(), new PanamaKernels()}) {
                Activations a = k.prepare(t.type(), x, 1, cols);
                double[] xd = TestTensors.dequantize(a);
                float[] out = new float[rows];
                k.matmul(t, a, out, rows, 0, rows);
                for (int r = 0; r < rows; r++) {
                    float[] w = new float[cols];
                    k.dequantizeRow(t, r, w, 0);
                    double ref = 0, absSum = 0;
                    for (int c = 0; c < cols; c++) {
                        ref += w[c] * xd[c];
                        absSum += Math.abs(w[c] * xd[c]);
                    }
                    assertEquals(ref, out[r], 2e-6 * absSum, k.name() + " " + tensorName + " row " + r);
                }
            }
        }
    }

    /**
     * The Q4_K_M and Q6_K mixtral files were made by llama-quantize from the same weights as the
     * F16 file: quantizing the F16 rows with our ref quantizers must give the very same bytes.
     */
    @ParameterizedTest
    @CsvSource({
        "mixtral-tiny-random-Q4_K_M.gguf, blk.0.attn_q.weight",
        "mixtral-tiny-random-Q4_K_M.gguf, blk.0.attn_output.weight",
        "mixtral-tiny-random-Q4_K_M.gguf, token_embd.weight",
        "mixtral-tiny-random-Q4_K_M.gguf, blk.0.attn_k.weight",
        "mixtral-tiny-random-Q6_K.gguf, blk.0.ffn_up_exps.weight",
    })
    void quantizingF16SourceRowsReproducesLlamaQuantizeOutput(String model, String tensorName) {
        try (GgufFile src = GgufFile.open(SharedData.require(SharedData.model("mixtral-tiny-random-F16.gguf")));
             GgufFile quantized = GgufFile.open(SharedData.require(SharedData.model(model)))) {
            Tensor s = src.requireTensor(tensorName), q = quantized.requireTensor(tensorName);
            int cols = s.cols();
            for (long row = 0; row < Math.min(s.rows(), 48); row++) {
                float[] values = new float[cols];
                Quants.dequantize(s.type(), s.data(), s.rowOffset(row), values, 0, cols);
                byte[] ours = Quants.quantize(q.type(), values, 0, cols);
                byte[] theirs = q.data().asSlice(q.rowOffset(row), q.rowBytes()).toArray(ValueLayout.JAVA_BYTE);
                assertArrayEquals(theirs, ours, q.type() + " " + tensorName + " row " + row);
            }
        }
    }
}
