package dev.strata.sample.grammar;

import dev.strata.StrataException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * llama.cpp's GBNF: {@code name ::= alternatives} rules, {@code |}, sequences, groups, {@code * + ?} and
 * {@code {m}} {@code {m,}} {@code {m,n}} repetitions, {@code "literals"}, {@code [classes]} with ranges and
 * {@code ^} negation, {@code .}, escapes {@code \n \r \t \\ \" \[ \] \xHH \\uHHHH \UHHHHHHHH}, and
 * {@code #} comments. Newlines end a rule except inside parentheses or after {@code |}. Repetitions are
 * rewritten into right-recursive helper rules exactly as llama.cpp's parser does.
 */
final class GbnfParser {
    private static final int MAX_REPETITION = 10_000;
    /** Elements (ints) the rewritten grammar may hold, so repetitions of long literals cannot exhaust memory. */
    private static final long MAX_ELEMENTS = 4_000_000;

    private final int[] src;
    private int pos;
    private final Map<String, Integer> symbolIds = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private final List<int[]> rules = new ArrayList<>();
    private final List<Boolean> defined = new ArrayList<>();
    private long elements;

    GbnfParser(String text) {
        this.src = text.codePoints().toArray();
    }

    Grammar parse() {
        skipSpace(true);
        while (pos < src.length) {
            parseRule();
            skipSpace(true);
        }
        for (int i = 0; i < names.size(); i++) {
            if (!defined.get(i)) throw error("undefined rule '" + names.get(i) + "'");
        }
        Integer root = symbolIds.get("root");
        if (root == null) throw new StrataException("grammar: no 'root' rule");
        return new Grammar(rules, names, root);
    }

    private void parseRule() {
        String name = parseName();
        skipSpace(false);
        if (!lookingAt("::=")) throw error("expected '::=' after rule name '" + name + "'");
        pos += 3;
        skipSpace(true);
        int id = symbolId(name);
        if (defined.get(id)) throw error("rule '" + name + "' is defined twice");
        setRule(id, parseAlternates(name, false));
        if (pos < src.length && src[pos] == '\r') pos++;
        if (pos < src.length && src[pos] != '\n') throw error("expected a newline or the end after rule '" + name + "'");
    }

    private List<Integer> parseAlternates(String ruleName, boolean nested) {
        List<Integer> out = new ArrayList<>();
        parseSequence(ruleName, out, nested);
        while (pos < src.length && src[pos] == '|') {
            add(out, Grammar.ALT, 0);
            pos++;
            skipSpace(true);
            parseSequence(ruleName, out, nested);
        }
        add(out, Grammar.END, 0);
        return out;
    }

    private void parseSequence(String ruleName, List<Integer> out, boolean nested) {
        int lastSymbolStart = out.size();
        while (pos < src.length) {
            int c = src[pos];
            if (c == '"') {
                pos++;
                lastSymbolStart = out.size();
                while (pos < src.length && src[pos] != '"') add(out, Grammar.CHAR, parseChar());
                expect('"', "an unterminated string literal");
            } else if (c == '[') {
                pos++;
                lastSymbolStart = out.size();
                int startType = Grammar.CHAR;
                if (pos < src.length && src[pos] == '^') {
                    pos++;
                    startType = Grammar.CHAR_NOT;
                }
                while (pos < src.length && src[pos] != ']') {
                    int type = out.size() > lastSymbolStart ? Grammar.CHAR_ALT : startType;
                    add(out, type, parseChar());
                    if (pos + 1 < src.length && src[pos] == '-' && src[pos + 1] != ']') {
                        pos++;
                        add(out, Grammar.CHAR_RNG_UPPER, parseChar());
                    }
                }
                expect(']', "an unterminated character class");
                if (out.size() == lastSymbolStart) throw error("empty character class");
            } else if (isWordChar(c)) {
                lastSymbolStart = out.size();
                add(out, Grammar.RULE_REF, symbolId(parseName()));
            } else if (c == '(') {
                pos++;
                skipSpace(true);
                lastSymbolStart = out.size();
                int sub = generatedSymbol(ruleName);
                setRule(sub, parseAlternates(ruleName, true));
                add(out, Grammar.RULE_REF, sub);
                expect(')', "an unclosed '('");
            } else if (c == '.') {
                pos++;
                lastSymbolStart = out.size();
                add(out, Grammar.CHAR_ANY, 0);
            } else if (c == '*' || c == '+' || c == '?') {
                pos++;
                repeat(ruleName, out, lastSymbolStart, c == '+' ? 1 : 0, c == '?' ? 1 : -1);
            } else if (c == '{') {
                pos++;
                skipSpace(nested);
                int min = parseInt();
                skipSpace(nested);
                int max = min;
                if (pos < src.length && src[pos] == ',') {
                    pos++;
                    skipSpace(nested);
                    max = pos < src.length && Character.isDigit(src[pos]) ? parseInt() : -1;
                    skipSpace(nested);
                }
                expect('}', "an unclosed '{'");
                if (max >= 0 && max < min) throw error("repetition {" + min + "," + max + "} has max < min");
                repeat(ruleName, out, lastSymbolStart, min, max);
            } else {
                break;
            }
            skipSpace(nested);
        }
    }

    /** llama.cpp's handle_repetitions: min copies in place, then nested optional (or recursive) helper rules. */
    private void repeat(String ruleName, List<Integer> out, int lastSymbolStart, int min, int max) {
        if (lastSymbolStart == out.size()) throw error("a repetition operator needs a preceding item");
        if (min > MAX_REPETITION || max > MAX_REPETITION) throw error("repetition count above " + MAX_REPETITION);
        List<Integer> previous = new ArrayList<>(out.subList(lastSymbolStart, out.size()));
        elements += (long) previous.size() * (Math.max(min, 1) + (max < 0 ? 1 : max - min));
        if (elements > MAX_ELEMENTS) throw error("the grammar is too large once its repetitions are expanded");
        if (min == 0) {
            out.subList(lastSymbolStart, out.size()).clear();
        } else {
            for (int i = 1; i < min; i++) out.addAll(previous);
        }
        int lastRecursive = -1;
        int optional = max < 0 ? 1 : max - min;
        for (int i = 0; i < optional; i++) {
            List<Integer> rule = new ArrayList<>(previous);
            int id = generatedSymbol(ruleName);
            if (i > 0 || max < 0) add(rule, Grammar.RULE_REF, max < 0 ? id : lastRecursive);
            add(rule, Grammar.ALT, 0);
            add(rule, Grammar.END, 0);
            setRule(id, rule);
            lastRecursive = id;
        }
        if (optional > 0) add(out, Grammar.RULE_REF, lastRecursive);
    }

    private int parseChar() {
        if (pos >= src.length) throw error("unexpected end of grammar");
        int c = src[pos++];
        if (c != '\\') return c;
        if (pos >= src.length) throw error("unexpected end of grammar after '\\'");
        int e = src[pos++];
        return switch (e) {
            case 'x' -> hex(2);
            case 'u' -> hex(4);
            case 'U' -> hex(8);
            case 't' -> '\t';
            case 'r' -> '\r';
            case 'n' -> '\n';
            case '\\', '"', '[', ']' -> e;
            default -> throw error("unknown escape '\\" + Character.toString(e) + "'");
        };
    }

    private int hex(int digits) {
        int value = 0;
        for (int i = 0; i < digits; i++) {
            int d = pos < src.length ? Character.digit(src[pos], 16) : -1;
            if (d < 0) throw error("expected " + digits + " hex digits");
            value = value * 16 + d;
            pos++;
        }
        return value;
    }

    private int parseInt() {
        int start = pos;
        long value = 0;
        while (pos < src.length && src[pos] >= '0' && src[pos] <= '9') {
            value = Math.min(value * 10 + (src[pos++] - '0'), Integer.MAX_VALUE);
        }
        if (pos == start) throw error("expected a number");
        return (int) value;
    }

    private String parseName() {
        int start = pos;
        while (pos < src.length && isWordChar(src[pos])) pos++;
        if (pos == start) throw error("expected a rule name");
        return new String(src, start, pos - start);
    }

    private static boolean isWordChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private void skipSpace(boolean newlineOk) {
        while (pos < src.length) {
            int c = src[pos];
            if (c == '#') {
                while (pos < src.length && src[pos] != '\n' && src[pos] != '\r') pos++;
            } else if (c == ' ' || c == '\t' || ((c == '\n' || c == '\r') && newlineOk)) {
                pos++;
            } else {
                break;
            }
        }
    }

    private boolean lookingAt(String s) {
        if (pos + s.length() > src.length) return false;
        for (int i = 0; i < s.length(); i++) if (src[pos + i] != s.charAt(i)) return false;
        return true;
    }

    private void expect(int c, String what) {
        if (pos >= src.length || src[pos] != c) throw error("expected '" + Character.toString(c) + "': " + what);
        pos++;
    }

    private int symbolId(String name) {
        return symbolIds.computeIfAbsent(name, n -> {
            names.add(n);
            rules.add(new int[0]);
            defined.add(false);
            return names.size() - 1;
        });
    }

    private int generatedSymbol(String base) {
        return symbolId(base + "_" + names.size());
    }

    private void setRule(int id, List<Integer> elements) {
        rules.set(id, elements.stream().mapToInt(Integer::intValue).toArray());
        defined.set(id, true);
    }

    private static void add(List<Integer> out, int type, int value) {
        out.add(type);
        out.add(value);
    }

    private StrataException error(String message) {
        int line = 1, column = 1;
        for (int i = 0; i < Math.min(pos, src.length); i++) {
            if (src[i] == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new StrataException("grammar: " + message + " at line " + line + ", column " + column);
    }
}
