package dev.strata.tokenizer;

import dev.strata.StrataException;
import dev.strata.gguf.GgufFile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Text to token ids and back, reproducing llama.cpp's tokenizers. */
public interface Tokenizer {

    Vocabulary vocab();

    /**
     * Tokenizes like llama.cpp's {@code llama_tokenize}.
     *
     * @param addSpecial add BOS/EOS (or CLS/SEP) as the vocabulary asks
     * @param parseSpecial turn control-token texts such as {@code <|im_start|>} into their tokens
     */
    int[] encode(String text, boolean addSpecial, boolean parseSpecial);

    /**
     * As {@link #encode(String, boolean, boolean)}, but special-token text overlapping any of the {@code textOnly}
     * [start, end) character ranges is tokenized as plain text (chat message content, see {@link ChatPrompt}).
     */
    int[] encode(String text, boolean addSpecial, boolean parseSpecial, java.util.List<int[]> textOnly);

    /**
     * The bytes a token stands for, like llama.cpp's token_to_piece. Control and unknown tokens
     * yield their text only when {@code renderSpecial}; otherwise nothing.
     */
    byte[] piece(int id, boolean renderSpecial);

    /** The raw bytes of a token, with control tokens rendered as their text. */
    default byte[] tokenBytes(int id) {
        return piece(id, true);
    }

    /** The concatenated bytes of the tokens' pieces, without control tokens. */
    default byte[] decodeBytes(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id : ids) out.writeBytes(piece(id, false));
        return out.toByteArray();
    }

    /** {@link #decodeBytes} as text; invalid UTF-8 becomes U+FFFD. */
    default String decode(int[] ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    /** Builds the tokenizer that {@code tokenizer.ggml.model} names. */
    static Tokenizer fromGguf(GgufFile gguf) {
        Vocabulary vocab = Vocabulary.fromGguf(gguf);
        return switch (vocab.model()) {
            case "llama" -> new SpmTokenizer(vocab);
            case "gpt2" -> {
                String[] merges = gguf.getArray("tokenizer.ggml.merges", String[].class);
                if (merges == null) throw new StrataException(gguf.name() + ": BPE tokenizer has no tokenizer.ggml.merges");
                yield new BpeTokenizer(vocab, merges);
            }
            case "bert" -> new WpmTokenizer(vocab);
            default -> throw new StrataException("unsupported tokenizer model " + StrataException.quote(vocab.model()));
        };
    }
}
