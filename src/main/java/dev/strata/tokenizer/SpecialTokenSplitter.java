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
        List<Fragment> fragments = new ArrayList<>();
        if (text.isEmpty()) return fragments;
        fragments.add(Fragment.text(text));
        for (int id : specialIdsLongestFirst) {
            boolean userDefined = vocab.type(id) == TokenType.USER_DEFINED && !vocab.isControl(id);
            if (!parseSpecial && !userDefined) continue;
            String special = vocab.text(id);
            if (!text.contains(special)) continue;
            fragments = splitOn(fragments, id, special);
        }
        return fragments;
    }

    private List<Fragment> splitOn(List<Fragment> fragments, int id, String special) {
        List<Fragment> result = new ArrayList<>(fragments.size() + 2);
        for (Fragment fragment : fragments) {
            if (!fragment.isText()) {
                result.add(fragment);
                continue;
            }
            String raw = fragment.text();
            int from = 0;
            int match;
            while ((match = raw.indexOf(special, from)) >= 0) {
                if (match > from) result.add(Fragment.text(raw.substring(from, match)));
                result.add(Fragment.special(id));
                from = match + special.length();
                if (vocab.rightStrip(id)) {
                    while (from < raw.length() && isCSpace(raw.charAt(from))) from++;
                }
            }
            if (from < raw.length()) result.add(Fragment.text(raw.substring(from)));
        }
        return result;
    }

    private static boolean isCSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
