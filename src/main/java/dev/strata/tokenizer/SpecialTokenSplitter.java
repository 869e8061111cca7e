package dev.strata.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Splits text on the texts of special tokens before the model tokenizer runs, like llama.cpp's
 * tokenizer_st_partition: longer token texts are matched first, each occurrence becomes its own
 * fragment. Without parseSpecial only user-defined tokens are split out (as Hugging Face does).
 */
final class SpecialTokenSplitter {
    private final Vocabulary vocab;
    private final int[] specialIdsLongestFirst;

    SpecialTokenSplitter(Vocabulary vocab) {
        this.vocab = vocab;
        this.specialIdsLongestFirst = IntStream.range(0, vocab.size())
                .filter(vocab::isSpecialForPartition)
                .boxed()
                .sorted(Comparator.comparingInt((Integer id) -> -utf8Length(vocab.text(id))).thenComparingInt(id -> id))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    List<Fragment> split(String text, boolean parseSpecial) {
        return split(text, parseSpecial, List.of());
    }

    /**
     * As {@link #split(String, boolean)}, except that special-token texts overlapping one of the textOnly
     * [start, end) ranges stay text: chat message content cannot smuggle in control tokens.
     */
    List<Fragment> split(String text, boolean parseSpecial, List<int[]> textOnly) {
        List<Fragment> fragments = new ArrayList<>();
        if (text.isEmpty()) return fragments;
        List<Piece> pieces = new ArrayList<>(List.of(new Piece(0, text, Vocabulary.NONE)));
        for (int id : specialIdsLongestFirst) {
            boolean userDefined = vocab.type(id) == TokenType.USER_DEFINED && !vocab.isControl(id);
            if (!parseSpecial && !userDefined) continue;
            String special = vocab.text(id);
            if (!text.contains(special)) continue;
            pieces = splitOn(pieces, id, special, textOnly);
        }
        for (Piece p : pieces) fragments.add(p.token() != Vocabulary.NONE ? Fragment.special(p.token()) : Fragment.text(p.text()));
        return fragments;
    }

    /** A fragment that remembers where its text starts in the input, so protected ranges can be honoured. */
    private record Piece(int start, String text, int token) {}

    private List<Piece> splitOn(List<Piece> pieces, int id, String special, List<int[]> textOnly) {
        List<Piece> result = new ArrayList<>(pieces.size() + 2);
        for (Piece piece : pieces) {
            if (piece.token() != Vocabulary.NONE) {
                result.add(piece);
                continue;
            }
            String raw = piece.text();
            int from = 0;
            int search = 0;
            int match;
            while ((match = raw.indexOf(special, search)) >= 0) {
                if (overlaps(piece.start() + match, piece.start() + match + special.length(), textOnly)) {
                    search = match + 1;
                    continue;
                }
                if (match > from) result.add(new Piece(piece.start() + from, raw.substring(from, match), Vocabulary.NONE));
                result.add(new Piece(piece.start() + match, null, id));
                from = match + special.length();
                if (vocab.rightStrip(id)) {
                    while (from < raw.length() && isCSpace(raw.charAt(from))) from++;
                }
                search = from;
            }
            if (from < raw.length()) result.add(new Piece(piece.start() + from, raw.substring(from), Vocabulary.NONE));
        }
        return result;
    }

    private static boolean overlaps(int start, int end, List<int[]> ranges) {
        for (int[] r : ranges) if (start < r[1] && r[0] < end) return true;
        return false;
    }

    private static boolean isCSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
