package dev.strata.tools.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.SharedData;
import dev.strata.gguf.GgufFile;
import dev.strata.tools.synth.GreedyAgreement;
import dev.strata.tensor.quant.GgmlType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The named mixes against files that llama-quantize itself wrote from the same F16 source. */
class QuantMixTest {
    @TempDir Path tmp;

    @Test
    void q4KmOfTheMoeFixtureEqualsLlamaQuantizeTensorByTensorAndRunsInLlamaCpp() {
        Path mine = tmp.resolve("mixtral-Q4_K_M.gguf");
        Quantizer.quantize(SharedData.model("mixtral-tiny-random-F16.gguf"), mine, QuantMix.Q4_K_M);
        assertSameTypesAndBytes(mine, SharedData.model("mixtral-tiny-random-Q4_K_M.gguf"));
        assertTrue(GreedyAgreement.check(mine, QuantizeCommandTest.PROMPTS, 16) >= 16);
    }

    @Test
    void q6KOfTheMoeFixtureEqualsLlamaQuantize() {
        Path mine = tmp.resolve("mixtral-Q6_K.gguf");
        Quantizer.quantize(SharedData.model("mixtral-tiny-random-F16.gguf"), mine, QuantMix.Q6_K);
        assertSameTypesAndBytes(mine, SharedData.model("mixtral-tiny-random-Q6_K.gguf"));
    }

    private static void assertSameTypesAndBytes(Path mine, Path llamaQuantize) {
        try (GgufFile a = GgufFile.open(mine); GgufFile b = GgufFile.open(llamaQuantize)) {
            assertEquals(b.tensors().keySet(), a.tensors().keySet());
            List<String> differing = new ArrayList<>();
            for (var t : b.tensors().values()) {
                var m = a.requireTensor(t.name());
                if (t.type() != m.type()) differing.add(t.name() + ": " + m.type() + " vs llama-quantize " + t.type());
                else if (t.data().mismatch(m.data()) != -1) differing.add(t.name() + ": same type, different bytes");
            }
            assertEquals(List.of(), differing);
            assertEquals(b.getLong("general.file_type", -1), a.getLong("general.file_type", -2));
        }
    }

    @Test
    void layersThatGetMoreBitsFollowLlamaCppFor32Layers() {
        List<Integer> more = IntStream.range(0, 32).filter(i -> QuantMix.Chooser.useMoreBits(i, 32)).boxed().toList();
        assertEquals(List.of(0, 1, 2, 3, 6, 9, 12, 15, 18, 21, 24, 27, 28, 29, 30, 31), more);
    }

    @Test
    void namesParseCaseInsensitivelyAndPlainTypesAreNoMix() {
        assertEquals(QuantMix.Q4_K_M, QuantMix.parse("q4_k_m"));
        assertNull(QuantMix.parse("Q4_0"));
        assertEquals(GgmlType.Q5_K, QuantMix.Q5_K_S.base);
    }
}
