package dev.strata.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.strata.FuzzSupport;
import dev.strata.StrataException;
import dev.strata.weights.MappedWeightStore;
import dev.strata.weights.Model;
import dev.strata.tensor.Kernels;
import dev.strata.tokenizer.Tokenizer;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * Jazzer target: arbitrary bytes through the GGUF reader, the model's config checks, weight loading and the
 * tokenizer. Only a one-line StrataException may come out. The corpus holds a tiny valid model and the mutated
 * metadata of issue #20 (huge block counts, bad rope dimensions, NaN epsilons, a 5,000-deep chat template).
 */
class GgufReaderFuzzTest {
    public static void fuzzerTestOneInput(byte[] data) {
        try (GgufFile f = GgufFile.parse("fuzz.gguf", MemorySegment.ofArray(data))) {
            Model.load(new MappedWeightStore(f), Kernels.select("scalar"));
            Tokenizer.fromGguf(f);
        } catch (StrataException e) {
            String m = e.getMessage();
            if (m == null || m.contains("\n")) throw new AssertionError("not a one-line message: " + m, e);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void fuzz(byte[] data) {
        fuzzerTestOneInput(data);
    }

    @Test
    void theValidSeedIsTheWritersTinyModelAndLoads() throws Exception {
        byte[] tiny = FuzzCorpusWriter.tinyModel(w -> {});
        assertArrayEquals(tiny, java.nio.file.Files.readAllBytes(java.nio.file.Path.of(
                GgufReaderFuzzTest.class.getResource("GgufReaderFuzzTestInputs/fuzz/valid.gguf").toURI())));
        try (GgufFile f = GgufFile.parse("valid.gguf", MemorySegment.ofArray(tiny))) {
            assertEquals(1, Model.load(new MappedWeightStore(f), Kernels.select("scalar")).config().blockCount());
            assertEquals(FuzzCorpusWriter.VOCAB, Tokenizer.fromGguf(f).vocab().size());
        }
    }

    @Test
    void corpusAndSeededMutants() {
        assertTrue(FuzzSupport.replayAndMutate(GgufReaderFuzzTest.class, GgufReaderFuzzTest::fuzzerTestOneInput, 1000, 20) > 1000);
    }
}
