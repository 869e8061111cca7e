package dev.strata.model;

import dev.strata.weights.Model;
import static org.junit.jupiter.api.Assertions.*;

import dev.strata.SharedData;
import dev.strata.StrataException;
import dev.strata.gguf.GgufFile;
import dev.strata.gguf.GgufWriter;
import dev.strata.tensor.Kernels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * stories260K rewritten by Strata's own GGUF writer with one metadata field set out of range: loading must fail
 * at once with a one-line error naming that field, before any allocation sized by it.
 */
class ModelConfigChecksTest {
    private static final String L = "llama.";

    @TempDir
    Path dir;

    static Stream<Arguments> mutations() {
        return Stream.of(
                Arguments.of("block_count 2^31-1", (Consumer<GgufWriter>) w -> w.putU32(L + "block_count", Integer.MAX_VALUE), "block_count"),
                Arguments.of("block_count 5e8", (Consumer<GgufWriter>) w -> w.putU32(L + "block_count", 500_000_000), "block_count"),
                Arguments.of("block_count 6 of 5", (Consumer<GgufWriter>) w -> w.putU32(L + "block_count", 6), "block_count"),
                Arguments.of("rope dims > head dim", (Consumer<GgufWriter>) w -> w.putU32(L + "rope.dimension_count", 16), "rope.dimension_count"),
                Arguments.of("rope dims 0", (Consumer<GgufWriter>) w -> w.putU32(L + "rope.dimension_count", 0), "rope.dimension_count"),
                Arguments.of("rope dims odd", (Consumer<GgufWriter>) w -> w.putU32(L + "rope.dimension_count", 7), "rope.dimension_count"),
                Arguments.of("rms eps NaN", (Consumer<GgufWriter>) w -> w.putF32(L + "attention.layer_norm_rms_epsilon", Float.NaN), "layer_norm_rms_epsilon"),
                Arguments.of("rms eps inf", (Consumer<GgufWriter>) w -> w.putF32(L + "attention.layer_norm_rms_epsilon", Float.POSITIVE_INFINITY), "layer_norm_rms_epsilon"),
                Arguments.of("rms eps 0", (Consumer<GgufWriter>) w -> w.putF32(L + "attention.layer_norm_rms_epsilon", 0f), "layer_norm_rms_epsilon"),
                Arguments.of("rms eps negative", (Consumer<GgufWriter>) w -> w.putF32(L + "attention.layer_norm_rms_epsilon", -1e-5f), "layer_norm_rms_epsilon"),
                Arguments.of("freq_base NaN", (Consumer<GgufWriter>) w -> w.putF32(L + "rope.freq_base", Float.NaN), "rope.freq_base"),
                Arguments.of("freq_base 0", (Consumer<GgufWriter>) w -> w.putF32(L + "rope.freq_base", 0f), "rope.freq_base"),
                Arguments.of("float embedding_length", (Consumer<GgufWriter>) w -> w.putF32(L + "embedding_length", 64f), "embedding_length"),
                Arguments.of("vocab_size 0", (Consumer<GgufWriter>) w -> w.putU32(L + "vocab_size", 0), "vocab_size"),
                Arguments.of("head_count x2", (Consumer<GgufWriter>) w -> w.putU32(L + "attention.head_count", 16).putU32(L + "attention.head_count_kv", 8).putU32(L + "attention.key_length", 8), "attn_q"),
                Arguments.of("context_length 0", (Consumer<GgufWriter>) w -> w.putU32(L + "context_length", 0), "context_length"));
    }

    private Path rewrite(Consumer<GgufWriter> mutation) {
        Path out = dir.resolve("mutated.gguf");
        try (GgufFile in = GgufFile.open(SharedData.require(SharedData.model("stories260K-F32.gguf")))) {
            GgufWriter w = new GgufWriter();
            GgufWriter.copyMetadata(in, w);
            GgufWriter.copyTensors(in, w);
            mutation.accept(w);
            w.write(out);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutations")
    void outOfRangeMetadataIsAOneLineErrorNamingTheField(String label, Consumer<GgufWriter> mutation, String field) {
        Path file = rewrite(mutation);
        StrataException e = assertThrows(StrataException.class,
                () -> assertTimeoutPreemptively(Duration.ofSeconds(10), () -> Model.load(file, Kernels.select("scalar")).close()));
        assertTrue(e.getMessage().contains(field), () -> label + ": message does not name " + field + ": " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void theUnmutatedRewriteLoads() {
        try (Model m = Model.load(rewrite(w -> {}), Kernels.select("scalar"))) {
            assertEquals(5, m.config().blockCount());
            assertEquals(8, m.config().ropeDim());
        }
    }
}
