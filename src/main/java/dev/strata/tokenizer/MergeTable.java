package dev.strata.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BPE merge ranks keyed by the pair of piece ids, in an open-addressing table. Pieces are vocabulary
 * tokens plus, with ids from the vocabulary size up, any merge operand or result that the
 * vocabulary lacks, so that every string BPE can form has an id.
 */
final class MergeTable {
    private static final long EMPTY = -1;

    private final Vocabulary vocab;
    private final Map<String, Integer> extraPieceIds = new HashMap<>();
    private final List<String> extraPieces = new ArrayList<>();
    private final long[] keys;
    private final int[] ranks;
    private final int[] mergedPiece;
    private final int mask;

    MergeTable(Vocabulary vocab, String[] merges) {
        this.vocab = vocab;
        int capacity = Integer.highestOneBit(Math.max(16, merges.length * 2 - 1)) << 1;
        this.keys = new long[capacity];
        this.ranks = new int[capacity];
        this.mask = capacity - 1;
        this.mergedPiece = new int[merges.length];
        Arrays.fill(keys, EMPTY);
        for (int rank = 0; rank < merges.length; rank++) {
            String merge = merges[rank];
            int space = merge.indexOf(' ', 1);
            int end = merge.length();
            TokenIndex index = vocab.index();
            int left = space < 0 ? -1 : index.find(merge, 0, space);
            int right = space < 0 ? -1 : index.find(merge, space + 1, end);
            int merged = space < 0 ? -1 : index.find(merge, 0, space, space + 1, end);
            if (left < 0 || right < 0 || merged < 0) {
                // Rare: a merge outside the vocabulary; give its strings ids of their own.
                String leftText = space < 0 ? "" : merge.substring(0, space);
                String rightText = space < 0 ? "" : merge.substring(space + 1);
                left = pieceIdOrAdd(leftText);
                right = pieceIdOrAdd(rightText);
                merged = pieceIdOrAdd(leftText + rightText);
            }
            mergedPiece[rank] = merged;
            insertIfAbsent(key(left, right), rank);
        }
    }

    /** The id of a piece string, or -1 when neither the vocabulary nor any merge has it. */
    int pieceId(String piece) {
        int id = vocab.idOf(piece);
        if (id != Vocabulary.NONE) return id;
        Integer extra = extraPieceIds.get(piece);
        return extra == null ? -1 : extra;
    }

    String pieceText(int pieceId) {
        return pieceId < vocab.size() ? vocab.text(pieceId) : extraPieces.get(pieceId - vocab.size());
    }

    private int pieceIdOrAdd(String piece) {
        int id = pieceId(piece);
        if (id >= 0) return id;
        id = vocab.size() + extraPieces.size();
        extraPieces.add(piece);
        extraPieceIds.put(piece, id);
        return id;
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    private void insertIfAbsent(long key, int rank) {
        int i = slot(key);
        while (keys[i] != EMPTY) {
            if (keys[i] == key) return; // the first (lowest) rank of a duplicate merge wins
            i = (i + 1) & mask;
        }
        keys[i] = key;
        ranks[i] = rank;
    }

    /** The rank of merging these two pieces, or -1 when no merge joins them. */
    int rank(int leftPiece, int rightPiece) {
        if (leftPiece < 0 || rightPiece < 0) return -1;
        long key = key(leftPiece, rightPiece);
        for (int i = slot(key); keys[i] != EMPTY; i = (i + 1) & mask) {
            if (keys[i] == key) return ranks[i];
        }
        return -1;
    }

    /** The piece a merge of the given rank produces. */
    int mergedPiece(int rank) {
        return mergedPiece[rank];
    }
}
