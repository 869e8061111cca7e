package dev.strata.bench.llamacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.SharedData;
import dev.strata.testoracle.LlamaCppNative;
import org.junit.jupiter.api.Test;

/**
 * The binding's batched decode (what bench --batch times): B sequences with different prompts,
 * advanced one token each in one llama_decode, must give every sequence the logits it gets when
 * decoded alone. Catches wrong seq ids, positions or output flags in the batch.
 */
class LlamaCppBatchedDecodeTest {

    @Test
    void batchedSequencesMatchSingleSequenceDecode() {
        LlamaCppNative.assumeAvailable();
        int[][] prompts = {{1, 15, 27, 300}, {1, 99}, {1, 7, 7, 7, 42, 5}};
        int[] next = {11, 250, 3};
        int b = prompts.length;
        float[][] alone = new float[b][];
        LlamaCppLibrary lib = LlamaCppLibrary.get();
        var single = new LlamaCppContext.Options(64, 64, 1, 1, true);
        try (LlamaCppContext one = new LlamaCppContext(lib, SharedData.model("stories260K-F32.gguf"), single)) {
            for (int s = 0; s < b; s++) {
                one.reset();
                one.decode(prompts[s], false);
                alone[s] = one.decode(new int[] {next[s]}, false)[0];
            }
        }
        try (LlamaCppContext many = new LlamaCppContext(lib, SharedData.model("stories260K-F32.gguf"),
                new LlamaCppContext.Options(64 * b, 64, b, 1, true))) {
            for (int s = 0; s < b; s++) {
                int n = prompts[s].length;
                int[] pos = new int[n], seq = new int[n];
                boolean[] out = new boolean[n];
                for (int i = 0; i < n; i++) {
                    pos[i] = i;
                    seq[i] = s;
                }
                many.decode(prompts[s], pos, seq, out);
            }
            int[] pos = new int[b], seq = new int[b];
            boolean[] out = new boolean[b];
            for (int s = 0; s < b; s++) {
                pos[s] = prompts[s].length;
                seq[s] = s;
                out[s] = true;
            }
            many.decode(next, pos, seq, out);
            for (int s = 0; s < b; s++) {
                float[] got = many.logits(s);
                assertEquals(alone[s].length, got.length);
                float max = 0;
                for (int i = 0; i < got.length; i++) max = Math.max(max, Math.abs(got[i] - alone[s][i]));
                assertTrue(max < 1e-3f, "sequence " + s + ": max logit diff " + max);
            }
        }
    }
}
