package dev.strata.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * llama.cpp's tokenizer test vectors (test-tokenizer-0: add_special=false, parse_special=false),
 * one dynamic test per input string.
 */
class TokenizerVocabVectorsTest {
    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    @TestFactory
    Stream<DynamicNode> vocabVectors() throws IOException {
        List<DynamicNode> suites = new ArrayList<>();
        try (Stream<Path> files = Files.list(VocabFixtures.vocabDir())) {
            for (Path inp : files.filter(p -> p.toString().endsWith(".gguf.inp")).sorted().toList()) {
                String file = inp.getFileName().toString();
                String name = file.substring("ggml-vocab-".length(), file.length() - ".gguf.inp".length());
                suites.add(DynamicContainer.dynamicContainer(name, cases(name, inp)));
            }
        }
        return suites.stream();
    }

    private Stream<DynamicNode> cases(String name, Path inp) throws IOException {
        Path vocabFile = VocabFixtures.vocabFileFor(name);
        if (vocabFile == null) {
            return Stream.of(DynamicTest.dynamicTest("no vocabulary shared for " + name,
                    () -> Assumptions.abort("no GGUF vocabulary for " + name + " in ../shared")));
        }
        List<String> inputs = readInputs(inp);
        List<String> outputs = Files.readAllLines(Path.of(inp.toString().replace(".inp", ".out")), StandardCharsets.UTF_8);
        assertEquals(inputs.size(), outputs.size(), name + ": .inp and .out differ in test count");
        List<DynamicNode> tests = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            String text = inputs.get(i);
            int[] expected = parseIds(outputs.get(i));
            tests.add(DynamicTest.dynamicTest(i + ": '" + VocabFixtures.visible(text) + "'", () -> {
                int[] actual = VocabFixtures.tokenizer(vocabFile).encode(text, false, false);
                assertArrayEquals(expected, actual, () -> "text '" + VocabFixtures.visible(text) + "'\nexpected "
                        + VocabFixtures.ids(expected) + "\nactual   " + VocabFixtures.ids(actual));
            }));
        }
        return tests.stream().map(DynamicNode.class::cast);
    }

    static List<String> readInputs(Path inp) throws IOException {
        String raw = Files.readString(inp, StandardCharsets.UTF_8);
        List<String> inputs = new ArrayList<>();
        int pos = 0;
        while (pos < raw.length()) {
            int next = raw.indexOf(SEPARATOR, pos);
            if (next < 0) {
                inputs.add(raw.substring(pos));
                break;
            }
            inputs.add(raw.substring(pos, next));
            pos = next + SEPARATOR.length();
        }
        return inputs;
    }

    static int[] parseIds(String line) {
        String trimmed = line.strip();
        return trimmed.isEmpty() ? new int[0] : Arrays.stream(trimmed.split(" ")).mapToInt(Integer::parseInt).toArray();
    }
}
