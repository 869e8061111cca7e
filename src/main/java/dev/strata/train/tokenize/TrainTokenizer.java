package dev.strata.train.tokenize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.StrataException;
import java.io.IOException;
import java.nio.file.Path;

/** A tokenizer learned from curriculum text: a character vocabulary or a small byte-level BPE. */
public sealed interface TrainTokenizer permits CharTokenizer, BpeTokenizer {
    int[] encode(String text);

    String decode(int[] ids, int from, int to);

    default String decode(int[] ids) {
        return decode(ids, 0, ids.length);
    }

    int vocabSize();

    /** The UTF-8 bytes token {@code id} stands for. */
    byte[] tokenBytes(int id);

    ObjectNode toJson(ObjectMapper mapper);

    default void save(Path file) {
        ObjectMapper mapper = new ObjectMapper();
        try {
            mapper.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), toJson(mapper));
        } catch (IOException e) {
            throw new StrataException("cannot write tokenizer " + file + ": " + e.getMessage(), e);
        }
    }

    static TrainTokenizer load(Path file) {
        try {
            return fromJson((ObjectNode) new ObjectMapper().readTree(file.toFile()), file.toString());
        } catch (IOException | ClassCastException e) {
            throw new StrataException("cannot read tokenizer " + file + ": " + e.getMessage(), e);
        }
    }

    static TrainTokenizer fromJson(ObjectNode json, String source) {
        String type = json.path("type").asText();
        return switch (type) {
            case "char" -> CharTokenizer.fromJson(json);
            case "bpe" -> BpeTokenizer.fromJson(json);
            default -> throw new StrataException("tokenizer " + source + " has unknown type '" + type + "'");
        };
    }
}
