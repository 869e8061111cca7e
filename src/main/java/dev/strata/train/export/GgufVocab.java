package dev.strata.train.export;

import dev.strata.StrataException;
import dev.strata.gguf.GgufValueType;
import dev.strata.gguf.GgufWriter;
import dev.strata.train.tokenize.BpeTokenizer;
import dev.strata.train.tokenize.CharTokenizer;
import dev.strata.train.tokenize.TrainTokenizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A trainer tokenizer as a GGUF byte-level BPE ("gpt2") vocabulary: each token is its UTF-8 bytes
 * in GPT-2's byte-to-unicode spelling. A character vocabulary of single-byte characters becomes a
 * vocabulary with no merges, so every engine splits text into exactly one token per character; a
 * trained byte-level BPE keeps its merges in rank order and GPT-2's pre-tokenizer, which is the one
 * it was trained with. Curriculum answers end with a newline, so the newline token is EOS and
 * generation stops there; no BOS is added, as in training.
 */
final class GgufVocab {
    private GgufVocab() {}

    static void write(GgufWriter w, TrainTokenizer tokenizer) {
        int n = tokenizer.vocabSize();
        String[] tokens = new String[n];
        Map<String, Integer> seen = new HashMap<>();
        for (int id = 0; id < n; id++) {
            byte[] bytes = tokenizer.tokenBytes(id);
            if (tokenizer instanceof CharTokenizer && bytes.length != 1)
                throw new StrataException("character token " + id + " ('" + tokenizer.decode(new int[] {id}) + "') is not a single byte;"
                        + " GGUF export of a character vocabulary needs single-byte characters (use --tokenizer bpe:N)");
            tokens[id] = spell(bytes);
            Integer previous = seen.putIfAbsent(tokens[id], id);
            if (previous != null) throw new StrataException("tokens " + previous + " and " + id + " have the same bytes; cannot export");
        }
        String[] merges = new String[0];
        if (tokenizer instanceof BpeTokenizer bpe) {
            int[][] m = bpe.merges();
            merges = new String[m.length];
            for (int i = 0; i < m.length; i++) merges[i] = tokens[m[i][0]] + " " + tokens[m[i][1]];
        }
        int[] types = new int[n];
        Arrays.fill(types, 1); // NORMAL
        int newline = tokenizer.encode("\n")[0];
        w.putString("tokenizer.ggml.model", "gpt2");
        w.putString("tokenizer.ggml.pre", "gpt-2");
        w.putArray("tokenizer.ggml.tokens", GgufValueType.STRING, tokens);
        w.putArray("tokenizer.ggml.token_type", GgufValueType.INT32, types);
        w.putArray("tokenizer.ggml.merges", GgufValueType.STRING, merges);
        w.putU32("tokenizer.ggml.bos_token_id", newline);
        w.putU32("tokenizer.ggml.eos_token_id", newline);
        w.putBool("tokenizer.ggml.add_bos_token", false);
        w.putBool("tokenizer.ggml.add_eos_token", false);
        // the user's text, a space, then the model's answer line: the curriculum's plain format
        w.putString("tokenizer.chat_template", "{% for message in messages %}{% if message['role'] == 'user' %}"
                + "{{ message['content'] + ' ' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + '\n' }}{% endif %}{% endfor %}");
    }

    /** GPT-2's byte-to-unicode map: printable Latin-1 bytes stand for themselves, the rest map to U+0100 onwards. */
    static String spell(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) sb.append(BYTE_TO_CHAR[b & 0xff]);
        return sb.toString();
    }

    private static final char[] BYTE_TO_CHAR = new char[256];

    static {
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            BYTE_TO_CHAR[b] = printable ? (char) b : (char) next++;
        }
    }
}
