package dev.strata.sample.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.StrataException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The GBNF parser and recogniser on llama.cpp's example grammars (json.gbnf and arithmetic.gbnf, written from
 * their documented form), checked against independent recognisers: Jackson for JSON, a recursive-descent
 * parser for arithmetic.
 */
class GbnfGrammarTest {
    static final String JSON_GBNF = """
            root   ::= object
            value  ::= object | array | string | number | ("true" | "false" | "null") ws

            object ::=
              "{" ws (
                        string ":" ws value
                ("," ws string ":" ws value)*
              )? "}" ws

            array  ::=
              "[" ws (
                        value
                ("," ws value)*
              )? "]" ws

            string ::=
              "\\"" (
                [^"\\\\\\x7F\\x00-\\x1F] |
                "\\\\" (["\\\\bfnrt] | "u" [0-9a-fA-F]{4}) # escapes
              )* "\\"" ws

            number ::= ("-"? ([0-9] | [1-9] [0-9]{0,15})) ("." [0-9]+)? ([eE] [-+]? [0-9] [1-9]{0,15})? ws

            # Optional space: by convention, applied in this grammar after literal chars when allowed
            ws ::= | " " | "\\n" [ \\t]{0,20}
            """;

    static final String ARITHMETIC_GBNF = """
            root  ::= (expr "=" ws term "\\n")+
            expr  ::= term ([-+*/] term)*
            term  ::= ident | num | "(" ws expr ")" ws
            ident ::= [a-z] [a-z0-9_]* ws
            num   ::= [0-9]+ ws
            ws    ::= [ \\t\\n]*
            """;

    static boolean accepts(Grammar g, String text) {
        GrammarRecognizer r = new GrammarRecognizer(g);
        GrammarRecognizer.Cursor c = r.accept(r.start(), text.getBytes(StandardCharsets.UTF_8));
        return !c.dead() && c.canEnd();
    }

    @Test
    void jsonGrammarAgreesWithJacksonOnValidAndMutatedDocuments() throws Exception {
        Grammar g = Grammar.parse(JSON_GBNF);
        ObjectMapper mapper = new ObjectMapper();
        String[] valid = {"{}", "{\"a\": 1}", "{\"a\": [1, 2.5, -3e+4, true, null, \"x\\n\\u00e9\"], \"b\": {\"c\": \"é😀\"}}",
                "{\n  \"k\": \"v\"\n}"};
        for (String v : valid) {
            mapper.readTree(v);
            assertTrue(accepts(g, v), v);
        }
        SplittableRandom random = new SplittableRandom(19);
        String alphabet = "{}[]\",:0123456789.-+eEtruefalsn \\u\n";
        int agreedRejections = 0;
        for (int i = 0; i < 3000; i++) {
            StringBuilder s = new StringBuilder(valid[random.nextInt(valid.length)]);
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(s.length() + 1);
                if (random.nextBoolean() && at < s.length()) s.deleteCharAt(at);
                else s.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = s.toString();
            boolean jackson = parsesAsObject(mapper, text);
            boolean grammar = accepts(g, text);
            // The grammar is stricter than JSON about number sizes and leading zeros; never looser.
            if (grammar) assertTrue(jackson, "grammar accepted invalid JSON: " + text);
            if (!jackson) agreedRejections++;
        }
        assertTrue(agreedRejections > 1000, "mutations should mostly break the JSON: " + agreedRejections);
    }

    private static boolean parsesAsObject(ObjectMapper mapper, String text) {
        try (var parser = mapper.createParser(text)) {
            var node = mapper.readTree(parser);
            return node != null && node.isObject() && parser.nextToken() == null;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void arithmeticGrammarAgreesWithRecursiveDescent() {
        Grammar g = Grammar.parse(ARITHMETIC_GBNF);
        assertTrue(accepts(g, "a = 1\n"));
        assertTrue(accepts(g, "(x1 +2)*y=3\nz=( 4)\n"));
        assertFalse(accepts(g, "a = 1"));
        assertFalse(accepts(g, "1a = 1\n"));
        SplittableRandom random = new SplittableRandom(7);
        String[] pieces = {"a", "b_1", "12", "(", ")", "+", "*", "=", "=", "\n", "\n", " "};
        int accepted = 0;
        for (int i = 0; i < 20000; i++) {
            StringBuilder s = new StringBuilder();
            int len = 3 + random.nextInt(8);
            for (int k = 0; k < len; k++) s.append(pieces[random.nextInt(pieces.length)]);
            String text = s.toString();
            boolean expected = new Arithmetic(text).root();
            assertEquals(expected, accepts(g, text), "'" + text.replace("\n", "\\n") + "'");
            if (expected) accepted++;
        }
        assertTrue(accepted >= 10, "too few accepted samples to be a real check: " + accepted);
    }

    /** A set-of-end-positions parser for the arithmetic language, so ambiguous whitespace is decided exactly. */
    private static final class Arithmetic {
        private final String s;

        Arithmetic(String s) { this.s = s; }

        boolean root() {
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>(line(0));
            while (!todo.isEmpty()) {
                int p = todo.pop();
                if (!seen.add(p)) continue;
                if (p == s.length()) return true;
                todo.addAll(line(p));
            }
            return false;
        }

        private java.util.Set<Integer> line(int p) {
            java.util.Set<Integer> out = new java.util.TreeSet<>();
            for (int q : expr(p)) {
                if (!at(q, '=')) continue;
                for (int r : ws(q + 1)) for (int t : term(r)) if (at(t, '\n')) out.add(t + 1);
            }
            return out;
        }

        private java.util.Set<Integer> expr(int p) {
            java.util.Set<Integer> out = new java.util.TreeSet<>();
            java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>(term(p));
            while (!todo.isEmpty()) {
                int q = todo.pop();
                if (!out.add(q)) continue;
                if (q < s.length() && "-+*/".indexOf(s.charAt(q)) >= 0) todo.addAll(term(q + 1));
            }
            return out;
        }

        private java.util.Set<Integer> term(int p) {
            java.util.Set<Integer> out = new java.util.TreeSet<>();
            if (p >= s.length()) return out;
            char c = s.charAt(p);
            if (c >= 'a' && c <= 'z') {
                int q = p + 1;
                while (q < s.length() && ((s.charAt(q) >= 'a' && s.charAt(q) <= 'z') || Character.isDigit(s.charAt(q)) || s.charAt(q) == '_')) q++;
                out.addAll(ws(q));
            } else if (c >= '0' && c <= '9') {
                int q = p + 1;
                while (q < s.length() && Character.isDigit(s.charAt(q))) q++;
                out.addAll(ws(q));
            } else if (c == '(') {
                for (int q : ws(p + 1)) for (int r : expr(q)) if (at(r, ')')) out.addAll(ws(r + 1));
            }
            return out;
        }

        private java.util.Set<Integer> ws(int p) {
            java.util.Set<Integer> out = new java.util.TreeSet<>();
            out.add(p);
            while (p < s.length() && " \t\n".indexOf(s.charAt(p)) >= 0) out.add(++p);
            return out;
        }

        private boolean at(int p, char c) {
            return p < s.length() && s.charAt(p) == c;
        }
    }

    @Test
    void parserErrorsNameTheProblemAndLeftRecursionIsRefused() {
        assertThrows(StrataException.class, () -> Grammar.parse("root ::= foo"));
        assertThrows(StrataException.class, () -> Grammar.parse("root ::= \"a"));
        assertThrows(StrataException.class, () -> Grammar.parse("root ::= [a-"));
        assertThrows(StrataException.class, () -> Grammar.parse("rot ::= \"a\""));
        StrataException e = assertThrows(StrataException.class, () -> Grammar.parse("root ::= root \"a\" | \"b\""));
        assertTrue(e.getMessage().contains("left recursion"), e.getMessage());
        assertThrows(StrataException.class, () -> Grammar.parse("root ::= x \"a\"\nx ::= | root"));
        StrataException big = assertThrows(StrataException.class, () -> Grammar.parse("root ::= \"" + "a".repeat(100_000) + "\"{0,9999}"));
        assertTrue(big.getMessage().contains("too large"), big.getMessage());
    }

    @Test
    void repetitionBoundsNegationEscapesAndAnyChar() {
        Grammar g = Grammar.parse("root ::= \"a\"{2,3} [^x-z] \"\\x41\\u00e9\" . \"b\"?");
        assertTrue(accepts(g, "aaqAé😀"));
        assertTrue(accepts(g, "aa1Aé b"));
        assertFalse(accepts(g, "aqAé!"));
        assertFalse(accepts(g, "aaaayAé!"));
        assertFalse(accepts(g, "aayAé!"));
        assertFalse(accepts(g, "aaqAé!bb"));
    }
}
