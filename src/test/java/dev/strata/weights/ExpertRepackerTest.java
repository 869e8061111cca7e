package dev.strata.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.SharedData;
import dev.strata.StrataException;
import dev.strata.gguf.GgufFile;
import dev.strata.model.ExpertNames;
import dev.strata.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packed file holds the same bytes, laid out expert by expert, and runs to the same logits. */
class ExpertRepackerTest {
    @TempDir
    Path tmp;

    @Test
    void packedFileHoldsEveryExpertContiguouslyWithIdenticalBytes() {
        for (String name : new String[] {"mixtral-tiny-random-Q4_K_M", "qwen2moe-tiny-random"}) {
            Path in = SharedData.model(name + ".gguf"), out = tmp.resolve(name + ".packed.gguf");
            int experts = ExpertRepacker.repack(in, out);
            try (GgufFile a = GgufFile.open(in); GgufFile b = GgufFile.open(out)) {
                assertTrue(ExpertNames.isPacked(b));
                assertEquals(ExpertRepacker.PACKED_ALIGNMENT, b.alignment());
                a.metadata().forEach((k, v) -> { if (!k.equals("general.alignment")) assertEquals(v, b.get(k), k); });
                int layers = (int) a.getLong(a.getString("general.architecture", "") + ".block_count", 0);
                int perLayer = (int) a.getLong(a.getString("general.architecture", "") + ".expert_count", 0);
                assertEquals(layers * perLayer, experts);
                long base = b.mapping().address();
                for (Tensor t : a.tensors().values()) {
                    if (t.shape().length == 3) {
                        assertNull(b.tensor(t.name()), "stacked tensor replaced");
                        continue;
                    }
                    assertSameBytes(t.data(), b.requireTensor(t.name()).data(), t.name());
                }
                for (int l = 0; l < layers; l++) {
                    for (int e = 0; e < perLayer; e++) {
                        long end = -1;
                        for (String kind : ExpertNames.KINDS) {
                            Tensor stacked = a.requireTensor(ExpertNames.stacked(l, kind)).slice(e);
                            Tensor packed = b.requireTensor(ExpertNames.packed(l, kind, e));
                            assertSameBytes(stacked.data(), packed.data(), packed.name());
                            long start = packed.data().address() - base;
                            if (kind.equals("ffn_gate_exps")) assertEquals(0, start % ExpertRepacker.PACKED_ALIGNMENT, "expert starts aligned");
                            else assertTrue(start >= end && start - end < ExpertRepacker.PACKED_ALIGNMENT, "matrices adjacent");
                            end = start + packed.data().byteSize();
                        }
                    }
                }
            }
        }
    }

    @Test
    void packedModelRunsToTheSameLogitsMapped() {
        Path in = SharedData.model("mixtral-tiny-random-F16.gguf"), out = tmp.resolve("packed.gguf");
        ExpertRepacker.repack(in, out);
        int[] tokens = StreamingExactnessTest.tokens(12, 1000, 3);
        var expected = StreamingExactnessTest.run(dev.strata.runtime.Engine.open(in, 2, "auto"), tokens);
        var actual = StreamingExactnessTest.run(dev.strata.runtime.Engine.open(out, 2, "auto"), tokens);
        for (int i = 0; i < expected.size(); i++) StreamingExactnessTest.assertBitExact(expected.get(i), actual.get(i), "forward " + i);
    }

    @Test
    void refusesDenseAndAlreadyPackedFiles() {
        assertThrows(StrataException.class, () -> ExpertRepacker.repack(SharedData.model("stories260K-F32.gguf"), tmp.resolve("x.gguf")));
        Path once = tmp.resolve("once.gguf");
        ExpertRepacker.repack(SharedData.model("qwen2moe-tiny-random.gguf"), once);
        assertThrows(StrataException.class, () -> ExpertRepacker.repack(once, tmp.resolve("twice.gguf")));
    }

    private static void assertSameBytes(MemorySegment x, MemorySegment y, String what) {
        assertEquals(x.byteSize(), y.byteSize(), what);
        assertEquals(-1L, x.mismatch(y), what);
    }
}
