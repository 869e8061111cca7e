package dev.strata.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Byte-level BPE (llama.cpp's llm_tokenizer_bpe): regex pre-tokenization, GPT-2 byte-to-unicode
 * escaping, then repeated merging of the adjacent pair with the lowest merge rank.
 */
final class BpeTokenizer extends BaseTokenizer {
    private final BpePreTokenizer preTokenizer;
    private final MergeTable merges;
    /** Piece id of each single character the byte-to-unicode mapping produces (all below U+0144). */
    private final int[] charPieces = new int[0x144];

    BpeTokenizer(Vocabulary vocab, String[] merges) {
        super(vocab);
        this.preTokenizer = BpePreTokenizer.forType(vocab.preTokenizer());
        this.merges = new MergeTable(vocab, merges);
        for (char c = 0; c < charPieces.length; c++) charPieces[c] = this.merges.pieceId(String.valueOf(c));
    }

    @Override
    void encodeFragments(List<Fragment> fragments, boolean addSpecial, IntList out) {
        if (addSpecial && vocab.addBos()) out.add(vocab.bos());
        for (Fragment fragment : fragments) {
            if (fragment.isText()) {
                for (String word : preTokenizer.split(fragment.text())) encodeWord(ByteUnicode.encode(word), out);
            } else {
                out.add(fragment.token());
            }
        }
        if (addSpecial && vocab.addEos()) out.add(vocab.eos());
    }

    @Override
    byte[] normalPiece(String text) {
        return ByteUnicode.decode(text);
    }

    private record Bigram(int left, int right, int rank, int leftPiece, int rightPiece) {}

    private void encodeWord(String word, IntList out) {
        if (preTokenizer.ignoreMerges()) {
            int whole = vocab.idOf(word);
            if (whole != Vocabulary.NONE) {
                out.add(whole);
                return;
            }
        }
        int n = word.length(); // byte-encoded text: one char per byte, all in the BMP
        int[] piece = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            piece[i] = charPieces[word.charAt(i)];
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) ->
                a.rank != b.rank ? Integer.compare(a.rank, b.rank) : Integer.compare(a.left, b.left));
        for (int i = 1; i < n; i++) addBigram(piece, i - 1, i, queue);
        while (!queue.isEmpty()) {
            Bigram bigram = queue.poll();
            int left = bigram.left, right = bigram.right;
            if (piece[left] != bigram.leftPiece || piece[right] != bigram.rightPiece) continue; // outdated
            piece[left] = merges.mergedPiece(bigram.rank);
            piece[right] = -2; // merged away
            next[left] = next[right];
            if (next[right] >= 0) prev[next[right]] = left;
            if (prev[left] >= 0) addBigram(piece, prev[left], left, queue);
            if (next[left] >= 0) addBigram(piece, left, next[left], queue);
        }
        int start = 0;
        for (int i = 0; i != -1; i = next[i]) {
            int end = next[i] < 0 ? n : next[i];
            if (piece[i] >= 0 && piece[i] < vocab.size()) {
                out.add(piece[i]);
            } else {
                addSingleByteTokens(word.substring(start, end), out);
            }
            start = end;
        }
    }

    /**
     * llama.cpp's fallback for a piece outside the vocabulary looks up each UTF-8 byte of the
     * escaped piece as a one-byte token, which only ASCII bytes can match.
     */
    private void addSingleByteTokens(String piece, IntList out) {
        for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
            if (b < 0) continue;
            int id = vocab.idOf(String.valueOf((char) b));
            if (id != Vocabulary.NONE) out.add(id);
        }
    }

    private void addBigram(int[] piece, int left, int right, PriorityQueue<Bigram> queue) {
        int rank = merges.rank(piece[left], piece[right]);
        if (rank >= 0) queue.add(new Bigram(left, right, rank, piece[left], piece[right]));
    }
}
