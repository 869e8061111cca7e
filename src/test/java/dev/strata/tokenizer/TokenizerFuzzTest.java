package dev.strata.tokenizer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.strata.FuzzSupport;
import dev.strata.SharedData;
import dev.strata.gguf.GgufFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Jazzer target: text through the SPM, byte-level BPE and WordPiece tokenizers, with and without special-token
 * parsing, and back. Nothing may throw; every id must be in the vocabulary; BPE must give back the exact bytes.
 */
class TokenizerFuzzTest {
    private static final List<Tokenizer> TOKENIZERS = List.of(load(SharedData.model("stories260K-F32.gguf")),
            load(SharedData.model("llama3-tiny-random.gguf")), load(SharedData.resolve("tokenizer/vocab/ggml-vocab-bert-bge.gguf")));

    private static Tokenizer load(Path p) {
        try (GgufFile f = GgufFile.open(p)) {
            return Tokenizer.fromGguf(f);
        }
    }

    public static void fuzzerTestOneInput(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        for (Tokenizer t : TOKENIZERS) {
            for (boolean special : new boolean[] {false, true}) {
                int[] ids = t.encode(text, true, special);
                for (int id : ids) if (id < 0 || id >= t.vocab().size()) throw new AssertionError("id " + id + " outside the vocabulary");
                String back = t.decode(ids);
                if (t instanceof BpeTokenizer && !special && !back.equals(text)) throw new AssertionError("BPE round trip changed the text");
            }
        }
    }

    @FuzzTest(maxDuration = "10m")
    void fuzz(byte[] data) {
        fuzzerTestOneInput(data);
    }

    @Test
    void corpusAndSeededMutants() {
        assertTrue(FuzzSupport.replayAndMutate(TokenizerFuzzTest.class, TokenizerFuzzTest::fuzzerTestOneInput, 500, 20) > 500);
    }
}
