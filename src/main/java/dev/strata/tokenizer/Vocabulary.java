package dev.strata.tokenizer;

import dev.strata.StrataException;
import dev.strata.gguf.GgufFile;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/** A tokenizer vocabulary and its special-token settings, read from GGUF {@code tokenizer.ggml.*}. */
public final class Vocabulary {
    public static final int NONE = -1;

    /** Texts that llama.cpp treats as end-of-generation wherever they occur in a vocabulary. */
    private static final List<String> EOG_TEXTS = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
            "<|endoftext|>", "<|eom_id|>", "<EOT>", "_<EOT>", "<|end_of_text|>", "<end_of_utterance>");
    /** Candidates for the end-of-turn token when the file names none, in order of preference. */
    private static final List<String> EOT_TEXTS = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
            "<|endoftext|>", "<|end_of_text|>", "<EOT>", "_<EOT>", "<end_of_utterance>");
    /** FIM pad/repo/file-separator tokens, which llama.cpp also counts as end of generation. */
    private static final List<String> FIM_EOG_TEXTS = List.of("<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>",
            "<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<|file_sep|>");

    private final String model;
    private final String pre;
    private final String[] tokens;
    private final float[] scores;
    private final TokenType[] types;
    private final TokenIndex ids;
    private final int maxTokenChars;
    private final BitSet controlLike = new BitSet();
    private final BitSet rstrip = new BitSet();
    private final BitSet eog = new BitSet();
    private int bos, eos, eot = NONE, eom = NONE, unk, sep, pad;
    private boolean addBos, addEos, addSpacePrefix;

    private Vocabulary(String model, String pre, String[] tokens, float[] scores, TokenType[] types) {
        this.model = model;
        this.pre = pre;
        this.tokens = tokens;
        this.scores = scores;
        this.types = types;
        this.ids = new TokenIndex(tokens);
        int maxChars = 0;
        for (int i = 0; i < tokens.length; i++) {
            int previous = ids.add(i);
            if (previous >= 0) throw new StrataException("duplicate token in vocabulary: '" + tokens[i] + "' has ids " + previous + " and " + i);
            maxChars = Math.max(maxChars, tokens[i].length());
        }
        this.maxTokenChars = maxChars;
    }

    public static Vocabulary fromGguf(GgufFile gguf) {
        String model = gguf.getString("tokenizer.ggml.model", null);
        if (model == null) throw new StrataException(gguf.name() + ": no tokenizer (missing tokenizer.ggml.model)");
        String[] tokens = gguf.getArray("tokenizer.ggml.tokens", String[].class);
        if (tokens == null) throw new StrataException(gguf.name() + ": missing tokenizer.ggml.tokens");
        tokens = tokens.clone();
        for (int i = 0; i < tokens.length; i++) if (tokens[i].isEmpty()) tokens[i] = "[EMPTY_" + i + "]";
        float[] scores = gguf.getArray("tokenizer.ggml.scores", float[].class);
        if (scores == null) scores = new float[tokens.length];
        int[] typeCodes = gguf.getArray("tokenizer.ggml.token_type", int[].class);
        if (scores.length < tokens.length || (typeCodes != null && typeCodes.length < tokens.length)) {
            throw new StrataException(gguf.name() + ": tokenizer scores or token types are shorter than the token list");
        }
        TokenType[] types = new TokenType[tokens.length];
        for (int i = 0; i < tokens.length; i++) types[i] = typeCodes == null ? TokenType.NORMAL : TokenType.fromCode(typeCodes[i]);
        String pre = gguf.getString("tokenizer.ggml.pre", "default");
        Vocabulary v = new Vocabulary(model, pre, tokens, scores, types);
        v.readSpecialTokens(gguf);
        return v;
    }

    private void readSpecialTokens(GgufFile gguf) {
        switch (model) {
            case "llama" -> { bos = 1; eos = 2; unk = 0; sep = NONE; pad = NONE; addBos = true; addSpacePrefix = true; }
            case "bert" -> { bos = 101; eos = NONE; unk = 100; sep = 102; pad = 0; addBos = true; }
            case "gpt2" -> { bos = 11; eos = 11; unk = NONE; sep = NONE; pad = NONE; addBos = BpePreTokenizer.addsBos(pre); }
            default -> { bos = NONE; eos = NONE; unk = NONE; sep = NONE; pad = NONE; }
        }
        addSpacePrefix = gguf.getBool("tokenizer.ggml.add_space_prefix", addSpacePrefix);
        bos = specialId(gguf, "bos", bos);
        eos = specialId(gguf, "eos", eos);
        eot = specialId(gguf, "eot", eot);
        eom = specialId(gguf, "eom", eom);
        unk = specialId(gguf, "unknown", unk);
        sep = specialId(gguf, "seperator", sep);
        pad = specialId(gguf, "padding", pad);
        addBos = gguf.getBool("tokenizer.ggml.add_bos_token", addBos);
        addEos = gguf.getBool("tokenizer.ggml.add_eos_token", addEos);
        if (addBos && bos == NONE) throw new StrataException(gguf.name() + ": tokenizer adds BOS but has no BOS token");
        if (addEos && eos == NONE) throw new StrataException(gguf.name() + ": tokenizer adds EOS but has no EOS token");
        if (eot == NONE) eot = firstPresent(EOT_TEXTS);
        if (eom == NONE) eom = firstPresent(List.of("<|eom_id|>"));
        // Like llama.cpp, tokens recognised by their text become control tokens; ids named by the file keep their type.
        for (String text : EOG_TEXTS) markEndOfGenerationByText(ids.find(text));
        for (String text : FIM_EOG_TEXTS) markEndOfGenerationByText(ids.find(text));
        for (int id : new int[] {eos, eot, eom}) if (id != NONE) eog.set(id);
        String name = gguf.getString("general.name", "").toLowerCase();
        if (name.contains("phi-3") || name.contains("phi3")) markPhi3RightStrip();
    }

    private int specialId(GgufFile gguf, String key, int fallback) {
        if (fallback >= tokens.length) fallback = NONE;
        long id = gguf.getLong("tokenizer.ggml." + key + "_token_id", fallback);
        return id >= 0 && id < tokens.length ? (int) id : fallback;
    }

    private int firstPresent(List<String> texts) {
        for (String text : texts) {
            int id = ids.find(text);
            if (id >= 0) return id;
        }
        return NONE;
    }

    private void markEndOfGenerationByText(int id) {
        if (id < 0) return;
        eog.set(id);
        controlLike.set(id);
    }

    /** llama.cpp strips whitespace after Phi-3's special tokens (except unk, bos and endoftext). */
    private void markPhi3RightStrip() {
        for (int id = 0; id < tokens.length; id++) if (isSpecialForPartition(id)) rstrip.set(id);
        int end = ids.find("</s>");
        if (end >= 0) rstrip.set(end);
        for (String text : List.of("<unk>", "<s>", "<|endoftext|>")) {
            int id = ids.find(text);
            if (id >= 0) rstrip.clear(id);
        }
    }

    boolean isSpecialForPartition(int id) {
        return isControl(id) || types[id] == TokenType.USER_DEFINED || types[id] == TokenType.UNKNOWN;
    }

    boolean rightStrip(int id) { return rstrip.get(id); }

    /** Token id of an exact piece text, or {@link #NONE}. */
    public int idOf(String text) {
        return ids.find(text);
    }

    TokenIndex index() { return ids; }

    public int size() { return tokens.length; }
    public String model() { return model; }
    public String preTokenizer() { return pre; }
    public String text(int id) { return tokens[id]; }
    public float score(int id) { return scores[id]; }
    public TokenType type(int id) { return types[id]; }
    /** Control tokens, including end-of-generation tokens that llama.cpp promotes to control. */
    public boolean isControl(int id) { return types[id] == TokenType.CONTROL || controlLike.get(id); }
    public boolean isEndOfGeneration(int id) { return id >= 0 && eog.get(id); }
    public int[] endOfGenerationIds() { return eog.stream().toArray(); }
    public int bos() { return bos; }
    public int eos() { return eos; }
    public int eot() { return eot; }
    public int eom() { return eom; }
    public int unk() { return unk; }
    public int sep() { return sep; }
    public int pad() { return pad; }
    public boolean addBos() { return addBos; }
    public boolean addEos() { return addEos; }
    public boolean addSpacePrefix() { return addSpacePrefix; }
    /** The length of the longest token text, in UTF-16 chars. */
    int maxTokenChars() { return maxTokenChars; }

    @Override
    public String toString() {
        return "Vocabulary[" + model + "/" + pre + ", " + tokens.length + " tokens, bos=" + bos + ", eos=" + eos
                + ", eog=" + Arrays.toString(endOfGenerationIds()) + "]";
    }
}
