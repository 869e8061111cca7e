package dev.strata.gguf;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.SharedData;
import dev.strata.tensor.quant.GgmlType;
import dev.strata.tensor.Tensor;
import org.junit.jupiter.api.Test;

class GgufFileTest {
    @Test
    void readsStoriesF32() {
        try (GgufFile f = GgufFile.open(SharedData.model("stories260K-F32.gguf"))) {
            assertEquals("llama", f.requireString("general.architecture"));
            assertEquals(5, f.requireInt("llama.block_count"));
            assertEquals(512, f.getArray("tokenizer.ggml.tokens", String[].class).length);
            assertEquals(48, f.tensors().size());
            Tensor t = f.requireTensor("blk.0.ffn_gate.weight");
            assertEquals(GgmlType.F32, t.type());
            assertEquals(64, t.cols());
            assertEquals(172, t.rows());
            assertEquals(64L * 172 * 4, t.data().byteSize());
        }
    }

    @Test
    void readsMixedKQuantFile() {
        try (GgufFile f = GgufFile.open(SharedData.model("mixtral-tiny-random-Q4_K_M.gguf"))) {
            Tensor e = f.requireTensor("blk.0.ffn_gate_exps.weight");
            assertEquals(GgmlType.Q4_K, e.type());
            assertArrayEquals(new long[] {256, 256, 8}, e.shape());
            assertEquals(8, f.getInt("llama.expert_count", 0));
            assertEquals(GgmlType.Q6_K, f.requireTensor("token_embd.weight").type());
        }
    }
}
