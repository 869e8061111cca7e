package dev.strata.tokenizer;

import dev.strata.StrataException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into words before BPE merging, with the regex sequence llama.cpp uses for each
 * {@code tokenizer.ggml.pre} type. Each regex runs over every fragment the previous ones produced;
 * both the matches and the text between them become fragments.
 */
final class BpePreTokenizer {
    private static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
    private static final String CONTRACTIONS = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])";
    private static final String LLAMA3 = CONTRACTIONS
            + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String QWEN2 = CONTRACTIONS
            + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String CJK = "[一-龥ࠀ-一가-퟿]+";
    private static final String DEEPSEEK_LLM_LETTERS = "\\s?["
            + "A-Za-z\u00B5\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u01BA\u01BC-\u01BF\u01C4-\u0293\u0295-\u02AF"
            + "\u0370-\u0373\u0376\u0377\u037B-\u037D\u037F\u0386\u0388-\u038A\u038C\u038E-\u03A1"
            + "\u03A3-\u03F5\u03F7-\u0481\u048A-\u052F\u0531-\u0556\u10A0-\u10C5\u13A0-\u13F5"
            + "\u13F8-\u13FD\u1C90-\u1CBA\u1CBD-\u1CBF\u1D00-\u1D2B\u1D6B-\u1D77\u1D79-\u1D9A"
            + "\u1E00-\u1F15\u1F18-\u1F1D\u1F20-\u1F45\u1F48-\u1F4D\u1F50-\u1F57\u1F59\u1F5B\u1F5D"
            + "\u1F5F-\u1F7D\u1F80-\u1FB4\u1FB6-\u1FBC\u1FBE\u1FC2-\u1FC4\u1FC6-\u1FCC\u1FD0-\u1FD3"
            + "\u1FD6-\u1FDB\u1FE0-\u1FEC\u1FF2-\u1FF4\u1FF6-\u1FFC\u2102\u2107\u210A-\u2113\u2115"
            + "\u2119-\u211D\u2124\u2126\u2128\u212A-\u212D\u212F-\u2134\u2139\u213C-\u213F\u2145-\u2149"
            + "\u214E\u2183\u2184\u2C00-\u2C7B\u2C7E-\u2CE4\u2CEB-\u2CEE\u2CF2\u2CF3\uA640-\uA66D"
            + "\uA680-\uA69B\uA722-\uA76F\uA771-\uA787\uA78B-\uA78E\uAB70-\uABBF\uFB00-\uFB06"
            + "\uFB13-\uFB17\uFF21-\uFF3A\uFF41-\uFF5A\\x{10400}-\\x{1044F}\\x{104B0}-\\x{104D3}"
            + "\\x{104D8}-\\x{104FB}\\x{10C80}-\\x{10CB2}\\x{10CC0}-\\x{10CF2}\\x{118A0}-\\x{118DF}"
            + "\\x{1E900}-\\x{1E943}" + "]+";
    private static final String DEEPSEEK3_WORDS = "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+"
            + "|[^\\r\\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String PORO = " ?[^(\\s|.,!?…。，、।۔،)]+";

    private final List<Pattern> patterns;
    private final boolean ignoreMerges;

    private BpePreTokenizer(List<String> regexes, boolean ignoreMerges) {
        this.patterns = regexes.stream().map(r -> Pattern.compile(r, Pattern.UNICODE_CHARACTER_CLASS)).toList();
        this.ignoreMerges = ignoreMerges;
    }

    static BpePreTokenizer forType(String pre) {
        return switch (pre) {
            case "llama3", "llama-v3", "llama-bpe", "falcon3" -> new BpePreTokenizer(List.of(LLAMA3), true);
            case "dbrx", "smaug-bpe", "chatglm-bpe" -> new BpePreTokenizer(List.of(LLAMA3), false);
            case "qwen2", "deepseek-r1-qwen", "stablelm2", "megrez" -> new BpePreTokenizer(List.of(QWEN2), false);
            case "deepseek-llm" -> new BpePreTokenizer(List.of("[\\r\\n]", DEEPSEEK_LLM_LETTERS,
                    "\\s?[!-/:-~！-／：-～‘-‟　-。]+", "\\s+\\z", CJK, "\\p{N}+"), false);
            case "deepseek-coder" -> new BpePreTokenizer(List.of("[\\r\\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", CJK, "\\p{N}"), false);
            case "deepseek-v3" -> new BpePreTokenizer(List.of("\\p{N}{1,3}", "[一-龥぀-ゟ゠-ヿ]+", DEEPSEEK3_WORDS), false);
            case "falcon" -> new BpePreTokenizer(List.of("[\\p{P}$+<=>^~|`]+", GPT2, "[0-9][0-9][0-9]"), false);
            case "starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b" ->
                    new BpePreTokenizer(List.of("\\p{N}", GPT2), false);
            case "gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v1-en", "jina-v2-es", "jina-v2-de",
                    "jina-v2-code", "roberta-bpe", "mpt", "olmo", "jais" -> new BpePreTokenizer(List.of(GPT2), false);
            case "poro-chat", "bloom", "gpt3-finnish" -> new BpePreTokenizer(List.of(PORO), false);
            case "viking" -> new BpePreTokenizer(List.of(PORO, "\\p{N}"), false);
            case "default" -> new BpePreTokenizer(List.of("[\\p{P}$+<=>^~|]+", GPT2, "\\p{N}+", "[0-9][0-9][0-9]"), false);
            default -> throw new StrataException("unsupported BPE pre-tokenizer type '" + pre + "'");
        };
    }

    /** Whether llama.cpp adds BOS by default for this pre-tokenizer (when the file does not say). */
    static boolean addsBos(String pre) {
        return switch (pre) {
            case "llama3", "llama-v3", "llama-bpe", "falcon3", "chameleon", "tekken" -> true;
            default -> false;
        };
    }

    /** Whether a whole word found in the vocabulary is emitted as one token without merging. */
    boolean ignoreMerges() {
        return ignoreMerges;
    }

    List<String> split(String text) {
        List<int[]> spans = new ArrayList<>();
        spans.add(new int[] {0, text.length()});
        for (Pattern pattern : patterns) spans = splitSpans(text, spans, pattern.matcher(text));
        List<String> words = new ArrayList<>(spans.size());
        for (int[] span : spans) words.add(text.substring(span[0], span[1]));
        return words;
    }

    private static List<int[]> splitSpans(String text, List<int[]> spans, Matcher matcher) {
        List<int[]> result = new ArrayList<>(spans.size() * 2);
        for (int[] span : spans) {
            matcher.region(span[0], span[1]);
            int previousEnd = span[0];
            while (matcher.find()) {
                if (matcher.end() == matcher.start()) continue;
                if (matcher.start() > previousEnd) result.add(new int[] {previousEnd, matcher.start()});
                result.add(new int[] {matcher.start(), matcher.end()});
                previousEnd = matcher.end();
            }
            if (previousEnd < span[1]) result.add(new int[] {previousEnd, span[1]});
        }
        return result;
    }
}
