package dev.strata.tokenizer;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * WordPiece (BERT) tokenizer as llama.cpp's llm_tokenizer_wpm: lower-cases, strips accents, splits
 * on whitespace and punctuation, then matches each ▁-prefixed word greedily longest-first.
 */
final class WpmTokenizer extends BaseTokenizer {

    WpmTokenizer(Vocabulary vocab) {
        super(vocab);
    }

    @Override
    void encodeFragments(List<Fragment> fragments, boolean addSpecial, IntList out) {
        if (addSpecial) out.add(vocab.bos());
        for (Fragment fragment : fragments) {
            if (fragment.isText()) {
                for (String word : words(fragment.text())) encodeWord("\u2581" + word, out);
            } else {
                out.add(fragment.token());
            }
        }
        if (addSpecial) out.add(vocab.sep());
    }

    @Override
    byte[] normalPiece(String text) {
        return unescapeSpaces(text);
    }

    private void encodeWord(String word, IntList out) {
        List<Integer> found = new ArrayList<>();
        int[] boundaries = word.codePoints().map(Character::charCount).toArray();
        int[] offsets = new int[boundaries.length + 1];
        for (int i = 0; i < boundaries.length; i++) offsets[i + 1] = offsets[i] + boundaries[i];
        int maxChars = vocab.maxTokenChars();
        for (int i = 0; i < boundaries.length; ) {
            int match = -1;
            int matchEnd = i;
            for (int j = boundaries.length; j > i; j--) {
                String candidate = word.substring(offsets[i], offsets[j]);
                if (candidate.length() > maxChars) continue;
                int id = vocab.idOf(candidate);
                if (id != Vocabulary.NONE) {
                    match = id;
                    matchEnd = j;
                    break;
                }
            }
            if (match < 0) {
                found.clear();
                break;
            }
            found.add(match);
            i = matchEnd;
        }
        if (found.isEmpty()) {
            out.add(vocab.unk());
        } else {
            for (int id : found) out.add(id);
        }
    }

    /** Lower-cased, accent-stripped words; punctuation and CJK ideographs become one-character words. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        text.codePoints().forEach(original -> {
            int cp = baseCodePoint(original);
            int type = Character.getType(cp);
            if (isWhitespace(cp)) {
                flush(word, words);
                return;
            }
            if (cp == 0 || cp == 0xFFFD || isControl(type) || type == Character.NON_SPACING_MARK) return;
            String s = new String(Character.toChars(Character.toLowerCase(cp)));
            if (isPunctuation(type) || (cp < 0x7F && isSymbol(type)) || isChineseChar(cp)) {
                flush(word, words);
                words.add(s);
            } else {
                word.append(s);
            }
        });
        flush(word, words);
        return words;
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (!word.isEmpty()) words.add(word.toString());
        word.setLength(0);
    }

    /** llama.cpp's per-code-point "NFD": the first code point of the canonical decomposition. */
    private static int baseCodePoint(int cp) {
        String s = new String(Character.toChars(cp));
        String nfd = Normalizer.normalize(s, Normalizer.Form.NFD);
        return nfd.codePointAt(0);
    }

    /** Unicode's White_Space property, the set llama.cpp uses. */
    private static boolean isWhitespace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    private static boolean isControl(int type) {
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE || type == Character.SURROGATE;
    }

    private static boolean isPunctuation(int type) {
        return switch (type) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    private static boolean isSymbol(int type) {
        return switch (type) {
            case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    private static boolean isChineseChar(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
