package dev.strata.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.SharedData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** decode(encode(s)) gives s back on every lossless vocabulary (WordPiece lower-cases, so it is left out). */
class TokenizerRoundTripTest {
    private static final List<String> TEXTS = List.of("Hello, world!", "  two leading, three trailing   ",
            "tabs\tand\nnewlines\r\n\n", "emoji 🚀🔥👍🏽 👩\u200d💻 🦙", "中文分词测试：我爱北京天安门！", "日本語のテキスト",
            "한국어 텍스트", "Привет, мир", "Café naïve e\u0301", "math ∑ ∫ √ ∞", "numbers 1234567 3.14 1,000",
            "code: if (a <= b) { return a->c; }", "\u00a0nbsp and \u200bzero width", "<|im_start|> not special here");

    @TestFactory
    Stream<DynamicNode> roundTrips() {
        List<DynamicNode> suites = new ArrayList<>();
        for (String vocab : List.of("llama-spm", "phi-3", "gpt-2", "falcon", "mpt", "refact", "starcoder",
                "deepseek-coder", "deepseek-llm", "baichuan", "gpt-neox")) {
            suites.add(suite(vocab, VocabFixtures.vocabDir().resolve("ggml-vocab-" + vocab + ".gguf")));
        }
        for (String model : List.of("llama3-tiny-random", "qwen2-tiny-random", "stories260K-F32", "mixtral-tiny-random-F16")) {
            suites.add(suite(model, SharedData.model(model + ".gguf")));
        }
        return suites.stream();
    }

    private static DynamicNode suite(String name, Path gguf) {
        List<DynamicTest> tests = new ArrayList<>();
        for (String text : TEXTS) {
            tests.add(DynamicTest.dynamicTest("'" + VocabFixtures.visible(text) + "'", () -> {
                Tokenizer tokenizer = VocabFixtures.tokenizer(gguf);
                int[] ids = tokenizer.encode(text, true, false);
                String prefix = tokenizer.vocab().model().equals("llama") && tokenizer.vocab().addSpacePrefix() ? " " : "";
                assertEquals(prefix + text, tokenizer.decode(ids), () -> "ids " + VocabFixtures.ids(ids));
            }));
        }
        return DynamicContainer.dynamicContainer(name, tests);
    }
}
