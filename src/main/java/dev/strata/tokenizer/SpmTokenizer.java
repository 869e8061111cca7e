package dev.strata.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.PriorityQueue;

/**
 * SentencePiece-style tokenizer (llama.cpp's llm_tokenizer_spm): spaces become ▁, then adjacent
 * symbols are merged greedily by the score of the token their concatenation forms; symbols that
 * form no token fall back to byte tokens {@code <0xNN>}.
 */
final class SpmTokenizer extends BaseTokenizer {
    private final int[] byteTokens = new int[256];

    SpmTokenizer(Vocabulary vocab) {
        super(vocab);
        for (int b = 0; b < 256; b++) {
            int id = vocab.idOf(String.format("<0x%02X>", b));
            if (id == Vocabulary.NONE && b < 0x80) id = vocab.idOf(String.valueOf((char) b));
            byteTokens[b] = id == Vocabulary.NONE ? vocab.unk() : id;
        }
    }

    @Override
    void encodeFragments(List<Fragment> fragments, boolean addSpecial, IntList out) {
        boolean previousWasSpecial = true;
        if (addSpecial && vocab.addBos()) out.add(vocab.bos());
        for (Fragment fragment : fragments) {
            if (fragment.isText()) {
                String text = vocab.addSpacePrefix() && previousWasSpecial ? " " + fragment.text() : fragment.text();
                tokenize(escapeSpaces(text), out);
                previousWasSpecial = false;
            } else {
                out.add(fragment.token());
                previousWasSpecial = true;
            }
        }
        if (addSpecial && vocab.addEos()) out.add(vocab.eos());
    }

    @Override
    byte[] normalPiece(String text) {
        return unescapeSpaces(text);
    }

    private record Bigram(int left, int right, float score, int length) {}

    private void tokenize(String text, IntList out) {
        int n = text.codePointCount(0, text.length());
        if (n == 0) return;
        int[] start = new int[n];
        int[] length = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0, offset = 0; i < n; i++) {
            start[i] = offset;
            length[i] = Character.charCount(text.codePointAt(offset));
            offset += length[i];
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        // Highest score first; on ties the leftmost pair, as llama.cpp's comparator orders them.
        PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) ->
                a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.left, b.left));
        for (int i = 1; i < n; i++) addBigram(text, start, length, i - 1, i, queue);
        while (!queue.isEmpty()) {
            Bigram bigram = queue.poll();
            int left = bigram.left, right = bigram.right;
            if (length[left] == 0 || length[right] == 0 || length[left] + length[right] != bigram.length) continue;
            length[left] += length[right];
            length[right] = 0;
            next[left] = next[right];
            if (next[right] >= 0) prev[next[right]] = left;
            if (prev[left] >= 0) addBigram(text, start, length, prev[left], left, queue);
            if (next[left] >= 0) addBigram(text, start, length, left, next[left], queue);
        }
        for (int i = 0; i != -1; i = next[i]) {
            String piece = text.substring(start[i], start[i] + length[i]);
            int id = vocab.idOf(piece);
            if (id != Vocabulary.NONE) {
                out.add(id);
            } else {
                for (byte b : piece.getBytes(StandardCharsets.UTF_8)) out.add(byteTokens[b & 0xFF]);
            }
        }
    }

    private void addBigram(String text, int[] start, int[] length, int left, int right, PriorityQueue<Bigram> queue) {
        int combined = length[left] + length[right];
        int id = vocab.idOf(text.substring(start[left], start[left] + combined));
        if (id == Vocabulary.NONE) return;
        queue.add(new Bigram(left, right, vocab.score(id), combined));
    }
}
