package dev.strata.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.SharedData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Vectors tokenized by the oracle on the shared models: the Llama 3 / Qwen 3 vector files
 * (add_special=false, parse_special=true) and every oracle file's prompts (add_special=true,
 * parse_special=true) and generated text.
 */
class TokenizerModelVectorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ORACLE_MODELS = List.of("stories260K-F32", "stories260K-Q8_0", "stories260K-Q4_0",
            "llama3-tiny-random", "qwen2-tiny-random", "qwen2moe-tiny-random", "mixtral-tiny-random-F16",
            "mixtral-tiny-random-Q4_K_M", "mixtral-tiny-random-Q6_K");

    @TestFactory
    Stream<DynamicNode> tokenizerVectorFiles() throws IOException {
        return Stream.of(vectorFile("llama3", "llama3-tiny-random"), vectorFile("qwen3", "qwen2-tiny-random"));
    }

    private DynamicNode vectorFile(String name, String model) throws IOException {
        JsonNode cases = JSON.readTree(SharedData.resolve("tokenizer/" + name + ".tokenizer-vectors.json").toFile());
        List<DynamicNode> tests = new ArrayList<>();
        int index = 0;
        for (JsonNode c : cases) {
            String text = c.get("text").asText();
            int[] expected = ids(c.get("ids"));
            tests.add(DynamicTest.dynamicTest(index++ + ": '" + VocabFixtures.visible(text) + "'",
                    () -> assertEncodes(VocabFixtures.model(model), text, false, expected)));
        }
        return DynamicContainer.dynamicContainer(name + " on " + model, tests);
    }

    @TestFactory
    Stream<DynamicNode> oraclePrompts() throws IOException {
        List<DynamicNode> suites = new ArrayList<>();
        for (String model : ORACLE_MODELS) {
            List<DynamicNode> tests = new ArrayList<>();
            for (String line : java.nio.file.Files.readAllLines(SharedData.oracle(model))) {
                if (line.isBlank()) continue;
                JsonNode record = JSON.readTree(line);
                String id = record.get("id").asText();
                String prompt = record.get("prompt").asText();
                int[] promptIds = ids(record.get("prompt_ids"));
                int[] generated = ids(record.get("generated_ids"));
                byte[] textBytes = HexFormat.of().parseHex(record.get("text_hex").asText());
                tests.add(DynamicTest.dynamicTest(id + " prompt_ids",
                        () -> assertEncodes(VocabFixtures.model(model), prompt, true, promptIds)));
                tests.add(DynamicTest.dynamicTest(id + " generated text bytes", () -> {
                    byte[] actual = VocabFixtures.model(model).decodeBytes(generated);
                    assertArrayEquals(textBytes, actual, () -> "pieces of " + VocabFixtures.ids(generated)
                            + "\nexpected " + HexFormat.of().formatHex(textBytes) + "\nactual   " + HexFormat.of().formatHex(actual));
                }));
            }
            suites.add(DynamicContainer.dynamicContainer(model, tests));
        }
        return suites.stream();
    }

    private static void assertEncodes(Tokenizer tokenizer, String text, boolean addSpecial, int[] expected) {
        int[] actual = tokenizer.encode(text, addSpecial, true);
        assertArrayEquals(expected, actual, () -> "text '" + VocabFixtures.visible(text) + "'\nexpected "
                + VocabFixtures.ids(expected) + "\nactual   " + VocabFixtures.ids(actual));
    }

    private static int[] ids(JsonNode array) {
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = array.get(i).asInt();
        return ids;
    }
}
