package dev.strata.tools.synth;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.SharedData;
import dev.strata.cli.Main;
import dev.strata.gguf.GgufFile;
import dev.strata.weights.Model;
import dev.strata.runtime.ExecutionPlan;
import dev.strata.runtime.Forward;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;
import dev.strata.runtime.WorkerPool;
import dev.strata.tensor.Kernels;
import dev.strata.tensor.Tensor;
import dev.strata.tensor.quant.Quants;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Strata's Qwen3 logits against a float64 forward pass written here from the architecture's
 * definition (per-head Q/K RMSNorm, NEOX rope, GQA, SwiGLU, normalized top-k experts), emulating only
 * llama.cpp's F16 roundings of the query, KV cache and softmax weights. Replaces the llama.cpp
 * comparison, which the bundled llama.cpp cannot do (it predates Qwen3).
 */
class Qwen3ReferenceTest {
    static final double TOLERANCE = 0.02;

    @TempDir
    static Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "qwen3moe"})
    void logitsMatchFloat64Reference(String arch) {
        Path f = tmp.resolve(arch + ".gguf");
        assertEquals(0, Main.run("synth", "--arch", arch, "--type", "F32", "--seed", "11",
                "--vocab-from", SharedData.model("qwen2-tiny-random.gguf").toString(), "-o", f.toString()));
        int[] tokens = {9707, 11, 1879, 0, 576, 6722, 315, 9625, 374, 12095, 13, 151644};
        float[] strata;
        int vocab;
        try (WorkerPool pool = new WorkerPool(2); Model m = Model.load(f, Kernels.select("auto"))) {
            vocab = m.config().vocabSize();
            strata = new Forward(m, Kernels.select("auto"), pool)
                    .forward(new Sequence(m.config(), ExecutionPlan.identity(m.config().blockCount()), 64, 0), tokens, true, new ForwardStats());
        }
        double[][] reference;
        try (GgufFile g = GgufFile.open(f)) {
            reference = new Reference(g, arch).logits(tokens);
        }
        double worst = 0;
        for (int pos = 0; pos < tokens.length; pos++) {
            for (int v = 0; v < vocab; v++) worst = Math.max(worst, Math.abs(strata[pos * vocab + v] - reference[pos][v]));
        }
        System.out.printf("%s: max |Strata - float64 reference| over %d x %d logits = %.5f%n", arch, tokens.length, vocab, worst);
        assertTrue(worst < TOLERANCE, arch + ": max logit difference " + worst);
    }

    /** A direct float64 Qwen3 / Qwen3-MoE forward pass over a whole prompt. */
    static final class Reference {
        final GgufFile g;
        final String p;
        final int embd, layers, heads, kvHeads, headDim, vocab, experts, used;
        final double eps, base;

        Reference(GgufFile g, String arch) {
            this.g = g;
            this.p = arch + ".";
            embd = g.requireInt(p + "embedding_length");
            layers = g.requireInt(p + "block_count");
            heads = g.requireInt(p + "attention.head_count");
            kvHeads = g.requireInt(p + "attention.head_count_kv");
            headDim = g.requireInt(p + "attention.key_length");
            vocab = (int) g.requireTensor("token_embd.weight").shape()[1];
            experts = g.getInt(p + "expert_count", 0);
            used = g.getInt(p + "expert_used_count", 0);
            eps = g.getFloat(p + "attention.layer_norm_rms_epsilon", 1e-6f);
            base = g.getFloat(p + "rope.freq_base", 1e6f);
        }

        float[] w(String name) {
            Tensor t = g.requireTensor(name);
            float[] out = new float[(int) t.elements()];
            Quants.dequantize(t.type(), t.data(), 0, out, 0, out.length);
            return out;
        }

        double[][] logits(int[] tokens) {
            int n = tokens.length, q = heads * headDim, kv = kvHeads * headDim;
            float[] emb = w("token_embd.weight");
            double[][] x = new double[n][embd];
            for (int t = 0; t < n; t++) for (int i = 0; i < embd; i++) x[t][i] = emb[tokens[t] * embd + i];
            for (int l = 0; l < layers; l++) {
                String b = "blk." + l + ".";
                float[] wq = w(b + "attn_q.weight"), wk = w(b + "attn_k.weight"), wv = w(b + "attn_v.weight"), wo = w(b + "attn_output.weight");
                float[] an = w(b + "attn_norm.weight"), qn = w(b + "attn_q_norm.weight"), kn = w(b + "attn_k_norm.weight");
                double[][] qs = new double[n][], ks = new double[n][], vs = new double[n][];
                for (int t = 0; t < n; t++) {
                    double[] h = rmsNorm(x[t], an, 0, embd);
                    qs[t] = headNormRope(matVec(wq, 0, h, q), qn, heads, t);
                    ks[t] = headNormRope(matVec(wk, 0, h, kv), kn, kvHeads, t);
                    vs[t] = matVec(wv, 0, h, kv);
                    for (int i = 0; i < q; i++) qs[t][i] = f16(qs[t][i]);
                    for (int i = 0; i < kv; i++) {
                        ks[t][i] = f16(ks[t][i]);
                        vs[t][i] = f16(vs[t][i]);
                    }
                }
                for (int t = 0; t < n; t++) {
                    double[] o = new double[q];
                    for (int hh = 0; hh < heads; hh++) {
                        int kh = hh / (heads / kvHeads);
                        double[] s = new double[t + 1];
                        double max = Double.NEGATIVE_INFINITY, sum = 0;
                        for (int j = 0; j <= t; j++) {
                            for (int i = 0; i < headDim; i++) s[j] += qs[t][hh * headDim + i] * ks[j][kh * headDim + i];
                            s[j] /= Math.sqrt(headDim);
                            max = Math.max(max, s[j]);
                        }
                        for (int j = 0; j <= t; j++) sum += s[j] = Math.exp(s[j] - max);
                        for (int j = 0; j <= t; j++) {
                            double pj = f16(s[j] / sum);
                            for (int i = 0; i < headDim; i++) o[hh * headDim + i] += pj * vs[j][kh * headDim + i];
                        }
                    }
                    add(x[t], matVec(wo, 0, o, embd));
                }
                float[] fn = w(b + "ffn_norm.weight");
                if (experts == 0) {
                    float[] gate = w(b + "ffn_gate.weight"), up = w(b + "ffn_up.weight"), down = w(b + "ffn_down.weight");
                    int ffn = gate.length / embd;
                    for (int t = 0; t < n; t++) add(x[t], swiglu(gate, up, down, 0, ffn, rmsNorm(x[t], fn, 0, embd), 1));
                } else {
                    float[] router = w(b + "ffn_gate_inp.weight"), gate = w(b + "ffn_gate_exps.weight"), up = w(b + "ffn_up_exps.weight"), down = w(b + "ffn_down_exps.weight");
                    int ffn = gate.length / embd / experts;
                    for (int t = 0; t < n; t++) {
                        double[] h = rmsNorm(x[t], fn, 0, embd);
                        double[] r = softmax(matVec(router, 0, h, experts));
                        int[] top = java.util.stream.IntStream.range(0, experts).boxed()
                                .sorted((a, c) -> Double.compare(r[c], r[a])).limit(used).mapToInt(Integer::intValue).toArray();
                        double total = 0;
                        for (int e : top) total += r[e];
                        for (int e : top) add(x[t], swiglu(gate, up, down, e, ffn, h, r[e] / total));
                    }
                }
            }
            float[] on = w("output_norm.weight");
            float[] out = g.tensor("output.weight") != null ? w("output.weight") : emb;
            double[][] logits = new double[n][];
            for (int t = 0; t < n; t++) logits[t] = matVec(out, 0, rmsNorm(x[t], on, 0, embd), vocab);
            return logits;
        }

        double[] swiglu(float[] gate, float[] up, float[] down, int expert, int ffn, double[] h, double weight) {
            double[] gv = matVec(gate, (long) expert * ffn * embd, h, ffn), uv = matVec(up, (long) expert * ffn * embd, h, ffn);
            for (int i = 0; i < ffn; i++) gv[i] = gv[i] / (1 + Math.exp(-gv[i])) * uv[i];
            double[] y = matVec(down, (long) expert * embd * ffn, gv, embd);
            for (int i = 0; i < embd; i++) y[i] *= weight;
            return y;
        }

        double[] headNormRope(double[] v, float[] norm, int count, int pos) {
            int half = headDim / 2;
            for (int hh = 0; hh < count; hh++) {
                double[] head = rmsNorm(java.util.Arrays.copyOfRange(v, hh * headDim, (hh + 1) * headDim), norm, 0, headDim);
                for (int i = 0; i < half; i++) {
                    double theta = pos * Math.pow(base, -2.0 * i / headDim);
                    double a = head[i], c = head[i + half];
                    v[hh * headDim + i] = a * Math.cos(theta) - c * Math.sin(theta);
                    v[hh * headDim + i + half] = a * Math.sin(theta) + c * Math.cos(theta);
                }
            }
            return v;
        }

        double[] rmsNorm(double[] x, float[] w, int off, int n) {
            double ss = 0;
            for (int i = 0; i < n; i++) ss += x[i] * x[i];
            double s = 1 / Math.sqrt(ss / n + eps);
            double[] y = new double[n];
            for (int i = 0; i < n; i++) y[i] = x[i] * s * w[off + i];
            return y;
        }

        static double[] matVec(float[] m, long off, double[] x, int rows) {
            int cols = x.length;
            double[] y = new double[rows];
            for (int r = 0; r < rows; r++) {
                double s = 0;
                long base = off + (long) r * cols;
                for (int c = 0; c < cols; c++) s += m[(int) (base + c)] * x[c];
                y[r] = s;
            }
            return y;
        }

        static double[] softmax(double[] x) {
            double max = java.util.Arrays.stream(x).max().orElse(0), sum = 0;
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) sum += y[i] = Math.exp(x[i] - max);
            for (int i = 0; i < x.length; i++) y[i] /= sum;
            return y;
        }

        static void add(double[] x, double[] y) {
            for (int i = 0; i < x.length; i++) x[i] += y[i];
        }

        static double f16(double v) {
            return Float.float16ToFloat(Float.floatToFloat16((float) v));
        }
    }
}
