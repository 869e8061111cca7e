package dev.strata.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Rewrites template source where Jinjava's expression grammar differs from Jinja2's.
 *
 * <p>In Jinja2 {@code not} binds more loosely than comparisons and tests, so {@code not x is defined}
 * means {@code not (x is defined)} and {@code not a in b} means {@code not (a in b)}; Jinjava's EL
 * applies {@code not} to {@code x} alone. Likewise a keyword argument's value extends to the next
 * comma in Jinja2 ({@code namespace(i=messages|length - 1)}), while Jinjava ends it at the filter.
 * The rewrite adds the parentheses Jinja2 implies. Jinjava also cannot parse a slice step, so the
 * reversing slice {@code xs[::-1]} becomes {@code (xs|reverse|list)}.
 */
final class ChatTemplatePreprocessor {
    private ChatTemplatePreprocessor() {}

    private static final Set<String> COMPARISONS = Set.of("==", "!=", "<", ">", "<=", ">=", "in", "is");
    private static final Set<String> SPAN_ENDS = Set.of("and", "or", "if", "else", ",", ")", "]", "}", ":");

    static String preprocess(String source) {
        StringBuilder out = new StringBuilder(source.length() + 32);
        int i = 0;
        while (i < source.length()) {
            int open = nextTagOpen(source, i);
            if (open < 0) {
                out.append(source, i, source.length());
                break;
            }
            boolean comment = source.charAt(open + 1) == '#';
            String closer = comment ? "#}" : source.charAt(open + 1) == '{' ? "}}" : "%}";
            int bodyStart = open + 2;
            int close = comment ? source.indexOf(closer, bodyStart) : findClose(source, bodyStart, closer);
            if (close < 0) {
                out.append(source, i, source.length());
                break;
            }
            out.append(source, i, bodyStart);
            String body = source.substring(bodyStart, close);
            out.append(comment ? body : rewriteExpression(body));
            i = close;
            out.append(closer);
            i += closer.length();
        }
        return out.toString();
    }

    private static int nextTagOpen(String s, int from) {
        for (int i = s.indexOf('{', from); i >= 0 && i + 1 < s.length(); i = s.indexOf('{', i + 1)) {
            char c = s.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') return i;
        }
        return -1;
    }

    /** The index of the closing delimiter, skipping string literals that may contain it. */
    private static int findClose(String s, int from, String closer) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfString(s, i) - 1;
            } else if (s.startsWith(closer, i)) {
                return i;
            }
        }
        return -1;
    }

    private static int endOfString(String s, int quoteIndex) {
        char quote = s.charAt(quoteIndex);
        int i = quoteIndex + 1;
        while (i < s.length() && s.charAt(i) != quote) i += s.charAt(i) == '\\' ? 2 : 1;
        return Math.min(i + 1, s.length());
    }

    private record Token(String text, int start, int end) {}

    private static List<Token> tokenize(String body) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            int start = i;
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '\'' || c == '"') {
                i = endOfString(body, i);
            } else if (Character.isLetterOrDigit(c) || c == '_') {
                while (i < body.length() && (Character.isLetterOrDigit(body.charAt(i)) || body.charAt(i) == '_')) i++;
            } else if (i + 1 < body.length() && Set.of("==", "!=", "<=", ">=").contains(body.substring(i, i + 2))) {
                i += 2;
            } else {
                i++;
            }
            tokens.add(new Token(body.substring(start, i), start, i));
        }
        return tokens;
    }

    private static String rewriteExpression(String body) {
        String reversed = rewriteReverseSlices(body);
        if (!reversed.equals(body)) return rewriteExpression(reversed);
        List<Token> tokens = tokenize(body);
        List<int[]> wraps = new ArrayList<>();
        addNotWraps(tokens, wraps);
        String tagName = body.replaceFirst("^[-+]?\\s*", "").split("\\s", 2)[0];
        if (!tagName.equals("macro") && !tagName.equals("call")) addKeywordArgumentWraps(tokens, wraps);
        if (wraps.isEmpty()) return body;
        StringBuilder out = new StringBuilder(body);
        // Insert from the back so earlier offsets stay valid; at equal offsets ')' goes before '('.
        List<int[]> inserts = new ArrayList<>();
        for (int[] w : wraps) {
            inserts.add(new int[] {w[0], '('});
            inserts.add(new int[] {w[1], ')'});
        }
        inserts.sort((a, b) -> a[0] != b[0] ? Integer.compare(b[0], a[0]) : Integer.compare(a[1], b[1]));
        for (int[] ins : inserts) out.insert(ins[0], (char) ins[1]);
        return out.toString();
    }

    /** Rewrites the first {@code primary[::-1]} (the caller repeats until none is left). */
    private static String rewriteReverseSlices(String body) {
        List<Token> tokens = tokenize(body);
        for (int t = 0; t + 5 < tokens.size(); t++) {
            String joined = tokens.subList(t, t + 6).stream().map(Token::text).reduce("", String::concat);
            if (!joined.equals("[::-1]") || t == 0) continue;
            int start = primaryStart(tokens, t - 1);
            return body.substring(0, tokens.get(start).start()) + "(" + body.substring(tokens.get(start).start(), tokens.get(t).start())
                    + "|reverse|list)" + body.substring(tokens.get(t + 5).end());
        }
        return body;
    }

    /** Walks back over a primary expression ending at token {@code last}: names, literals, '.', calls and subscripts. */
    private static int primaryStart(List<Token> tokens, int last) {
        int t = last;
        while (t > 0) {
            String text = tokens.get(t).text();
            if (text.equals(")") || text.equals("]") || text.equals("}")) t = matchingOpener(tokens, t);
            if (t <= 0) return 0;
            String before = tokens.get(t - 1).text();
            boolean groupStartsHere = tokens.get(t).text().length() == 1 && "([{".contains(tokens.get(t).text());
            if (before.equals(".")) t -= 2;
            else if (groupStartsHere && (isName(before) || before.equals(")") || before.equals("]") || before.equals("}"))) t--;
            else return t;
        }
        return Math.max(t, 0);
    }

    private static int matchingOpener(List<Token> tokens, int closerIndex) {
        int depth = 0;
        for (int t = closerIndex; t >= 0; t--) {
            String x = tokens.get(t).text();
            if (x.equals(")") || x.equals("]") || x.equals("}")) depth++;
            else if ((x.equals("(") || x.equals("[") || x.equals("{")) && --depth == 0) return t;
        }
        return 0;
    }

    private static final Set<String> KEYWORDS = Set.of("in", "not", "and", "or", "is", "if", "else", "for");

    private static boolean isName(String text) {
        return !text.isEmpty() && (Character.isLetter(text.charAt(0)) || text.charAt(0) == '_') && !KEYWORDS.contains(text);
    }

    private static void addNotWraps(List<Token> tokens, List<int[]> wraps) {
        for (int t = 0; t < tokens.size(); t++) {
            if (!tokens.get(t).text().equals("not")) continue;
            if (t > 0 && tokens.get(t - 1).text().equals("is")) continue; // "x is not y"
            if (t + 1 < tokens.size() && tokens.get(t + 1).text().equals("in")) continue; // "a not in b"
            int end = spanEnd(tokens, t + 1);
            if (end > t + 1 && hasTopLevelComparison(tokens, t + 1, end)) {
                wraps.add(new int[] {tokens.get(t + 1).start(), tokens.get(end - 1).end()});
            }
        }
    }

    /** {@code f(name=value)} inside call parentheses: wraps value up to the next top-level ',' or ')'. */
    private static void addKeywordArgumentWraps(List<Token> tokens, List<int[]> wraps) {
        List<String> openers = new ArrayList<>();
        for (int t = 0; t < tokens.size(); t++) {
            String text = tokens.get(t).text();
            if (text.equals("(") || text.equals("[") || text.equals("{")) {
                openers.add(text);
            } else if ((text.equals(")") || text.equals("]") || text.equals("}")) && !openers.isEmpty()) {
                openers.removeLast();
            } else if (text.equals("=") && !openers.isEmpty() && openers.getLast().equals("(") && t + 1 < tokens.size()) {
                int depth = 0;
                int end = t + 1;
                for (; end < tokens.size(); end++) {
                    String e = tokens.get(end).text();
                    if (e.equals("(") || e.equals("[") || e.equals("{")) depth++;
                    else if (depth > 0 && (e.equals(")") || e.equals("]") || e.equals("}"))) depth--;
                    else if (depth == 0 && (e.equals(",") || e.equals(")"))) break;
                }
                if (end > t + 2) wraps.add(new int[] {tokens.get(t + 1).start(), tokens.get(end - 1).end()});
            }
        }
    }

    /** Index (exclusive) where the operand of a {@code not} at depth 0 ends. */
    private static int spanEnd(List<Token> tokens, int from) {
        int depth = 0;
        for (int t = from; t < tokens.size(); t++) {
            String text = tokens.get(t).text();
            if (text.equals("(") || text.equals("[") || text.equals("{")) {
                depth++;
            } else if (depth > 0 && (text.equals(")") || text.equals("]") || text.equals("}"))) {
                depth--;
            } else if (depth == 0 && (SPAN_ENDS.contains(text) || text.equals("-") && t + 1 == tokens.size())) {
                return t;
            }
        }
        return tokens.size();
    }

    private static boolean hasTopLevelComparison(List<Token> tokens, int from, int to) {
        int depth = 0;
        for (int t = from; t < to; t++) {
            String text = tokens.get(t).text();
            if (text.equals("(") || text.equals("[") || text.equals("{")) depth++;
            else if (text.equals(")") || text.equals("]") || text.equals("}")) depth--;
            else if (depth == 0 && COMPARISONS.contains(text)) return true;
        }
        return false;
    }
}
