package dev.strata.tokenizer;

import dev.strata.SharedData;
import dev.strata.gguf.GgufFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** Loads (once per test run) the tokenizers of the shared GGUF files. */
final class VocabFixtures {
    private static final Map<Path, Tokenizer> CACHE = new ConcurrentHashMap<>();

    private VocabFixtures() {}

    static Tokenizer tokenizer(Path gguf) {
        return CACHE.computeIfAbsent(gguf, p -> {
            try (GgufFile file = GgufFile.open(SharedData.require(p))) {
                return Tokenizer.fromGguf(file);
            }
        });
    }

    static Tokenizer model(String name) {
        return tokenizer(SharedData.model(name + ".gguf"));
    }

    static Path vocabDir() {
        return SharedData.resolve("tokenizer/vocab");
    }

    /** The GGUF whose vocabulary produced {@code ggml-vocab-<name>.gguf.out}, or null when none is shared. */
    static Path vocabFileFor(String name) {
        Path own = vocabDir().resolve("ggml-vocab-" + name + ".gguf");
        if (Files.exists(own)) return own;
        return switch (name) {
            case "llama-bpe" -> SharedData.model("llama3-tiny-random.gguf");
            // deepseek-r1-qwen's expected ids are identical to qwen2's: same vocabulary and pre-tokenizer regex.
            case "qwen2", "deepseek-r1-qwen" -> SharedData.model("qwen2-tiny-random.gguf");
            default -> null;
        };
    }

    static String ids(int[] ids) {
        return Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" ", "[", "]"));
    }

    static String visible(String text) {
        return text.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r");
    }
}
