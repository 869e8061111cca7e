package dev.strata.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.StrataException;
import dev.strata.gguf.GgufValueType;
import dev.strata.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} (byte-level BPE, as Qwen and Llama 3 ship) turned into the
 * {@code tokenizer.*} GGUF metadata that llama.cpp's convert script writes. BOS/EOS, add_bos and the chat
 * template come from a {@code tokenizer_config.json} beside it when present. The pre-tokenizer type is
 * recognised from the Split regex, since tokenizer.json has no name for it.
 */
public record HfTokenizerJson(String[] tokens, int[] types, String[] merges, String preType, Integer bos, Integer eos,
                              Integer pad, boolean addBos, String chatTemplate) {
    /** The Split regexes of the known byte-level BPE families, and llama.cpp's name for each. */
    private static final Map<String, String> PRE_TYPES = Map.of(
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+", "qwen2",
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+", "llama-bpe");

    public static HfTokenizerJson read(Path file) {
        ObjectMapper json = new ObjectMapper();
        JsonNode root, config = null;
        try {
            root = json.readTree(file.toFile());
            Path configFile = file.resolveSibling("tokenizer_config.json");
            if (Files.isRegularFile(configFile)) config = json.readTree(configFile.toFile());
        } catch (IOException e) {
            throw new StrataException(file + ": cannot read tokenizer.json (" + e.getMessage() + ")");
        }
        JsonNode model = root.path("model");
        if (!"BPE".equals(model.path("type").asText())) {
            throw new StrataException(file + ": unsupported tokenizer.json model type '" + model.path("type").asText() + "' (byte-level BPE only)");
        }
        int size = 0;
        for (JsonNode id : model.path("vocab")) size = Math.max(size, id.asInt() + 1);
        for (JsonNode added : root.path("added_tokens")) size = Math.max(size, added.path("id").asInt() + 1);
        if (size == 0) throw new StrataException(file + ": tokenizer.json has an empty vocabulary");
        String[] tokens = new String[size];
        int[] types = new int[size];
        for (Iterator<Map.Entry<String, JsonNode>> it = model.path("vocab").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            tokens[e.getValue().asInt()] = e.getKey();
            types[e.getValue().asInt()] = TokenType.NORMAL.ordinal();
        }
        for (JsonNode added : root.path("added_tokens")) {
            int id = added.path("id").asInt();
            tokens[id] = added.path("content").asText();
            types[id] = (added.path("special").asBoolean() ? TokenType.CONTROL : TokenType.USER_DEFINED).ordinal();
        }
        for (int i = 0; i < size; i++) {
            if (tokens[i] == null) {
                tokens[i] = "[PAD" + i + "]";
                types[i] = TokenType.UNUSED.ordinal();
            }
        }
        JsonNode mergeNodes = model.path("merges");
        String[] merges = new String[mergeNodes.size()];
        for (int i = 0; i < merges.length; i++) {
            JsonNode m = mergeNodes.get(i);
            merges[i] = m.isArray() ? m.get(0).asText() + " " + m.get(1).asText() : m.asText();
        }
        String pre = preType(file, root.path("pre_tokenizer"));
        Map<String, Integer> ids = new java.util.HashMap<>();
        for (int i = 0; i < size; i++) ids.putIfAbsent(tokens[i], i);
        Integer bos = config == null ? null : special(config.path("bos_token"), ids);
        Integer eos = config == null ? null : special(config.path("eos_token"), ids);
        Integer pad = config == null ? null : special(config.path("pad_token"), ids);
        boolean addBos = config != null && config.path("add_bos_token").asBoolean(bos != null);
        if (bos == null) bos = pad != null ? pad : eos; // as llama.cpp's convert does for Qwen, which has no BOS
        String template = config == null || !config.path("chat_template").isTextual() ? null : config.path("chat_template").asText();
        return new HfTokenizerJson(tokens, types, merges, pre, bos, eos, pad, addBos, template);
    }

    public int vocabSize() {
        return tokens.length;
    }

    /** Writes the tokenizer.* keys llama.cpp reads for a gpt2-style vocabulary. */
    public void writeTo(GgufWriter w) {
        w.putString("tokenizer.ggml.model", "gpt2");
        w.putString("tokenizer.ggml.pre", preType);
        w.putStrings("tokenizer.ggml.tokens", tokens);
        w.putArray("tokenizer.ggml.token_type", GgufValueType.INT32, types);
        w.putStrings("tokenizer.ggml.merges", merges);
        if (bos != null) w.putU32("tokenizer.ggml.bos_token_id", bos);
        if (eos != null) w.putU32("tokenizer.ggml.eos_token_id", eos);
        if (pad != null) w.putU32("tokenizer.ggml.padding_token_id", pad);
        w.putBool("tokenizer.ggml.add_bos_token", addBos);
        if (chatTemplate != null) w.putString("tokenizer.chat_template", chatTemplate);
    }

    private static String preType(Path file, JsonNode pre) {
        JsonNode split = null;
        for (JsonNode p : pre.path("type").asText().equals("Sequence") ? pre.path("pretokenizers") : java.util.List.of(pre)) {
            if (p.path("type").asText().equals("Split")) split = p;
            if (p.path("type").asText().equals("ByteLevel") && p.path("use_regex").asBoolean(true)) return "gpt-2";
        }
        String regex = split == null ? null : split.path("pattern").path("Regex").asText(null);
        String type = regex == null ? null : PRE_TYPES.get(regex);
        if (type == null) {
            throw new StrataException(file + ": unknown pre-tokenizer (known: the Qwen2 and Llama 3 split patterns, GPT-2 byte level)");
        }
        return type;
    }

    /** The id of a special token given as a string or as {"content": ...}; null when absent. */
    private static Integer special(JsonNode token, Map<String, Integer> ids) {
        String content = token.isTextual() ? token.asText() : token.path("content").asText(null);
        return content == null ? null : ids.get(content);
    }
}
