package dev.strata.train.curriculum;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Solves each family's prompt from its text alone, sharing no code with the generators. */
final class IndependentSolver {
    private IndependentSolver() {}

    static String solve(Family family, String prompt) {
        return switch (family) {
            case ARITHMETIC -> new ExpressionParser(prompt.substring(0, prompt.length() - 2)).parse().toString();
            case VARIABLES -> runProgram(prompt);
            case COMPARISON -> compare(prompt);
            case KEY_VALUE -> lookUp(prompt);
            case LIST_OPS -> listOp(prompt);
        };
    }

    /** Recursive descent with standard precedence, in BigInteger so overflow cannot hide. */
    private static final class ExpressionParser {
        private final String s;
        private int pos;

        ExpressionParser(String s) {
            this.s = s;
        }

        BigInteger parse() {
            BigInteger v = term();
            while (pos < s.length()) {
                char op = s.charAt(pos++);
                BigInteger t = term();
                v = op == '+' ? v.add(t) : v.subtract(t);
            }
            return v;
        }

        private BigInteger term() {
            BigInteger v = number();
            while (pos < s.length() && s.charAt(pos) == '*') {
                pos++;
                v = v.multiply(number());
            }
            return v;
        }

        private BigInteger number() {
            int start = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
            return new BigInteger(s.substring(start, pos));
        }
    }

    private static String runProgram(String prompt) {
        Map<String, BigInteger> env = new HashMap<>();
        String[] statements = prompt.split("; ");
        for (int i = 0; i < statements.length - 1; i++) {
            String[] lhsRhs = statements[i].split("=");
            env.put(lhsRhs[0], eval(lhsRhs[1], env));
        }
        String query = statements[statements.length - 1];
        return env.get(query.substring(0, query.indexOf('='))).toString();
    }

    private static BigInteger eval(String rhs, Map<String, BigInteger> env) {
        if (rhs.chars().allMatch(Character::isDigit)) return new BigInteger(rhs);
        BigInteger left = env.get(rhs.substring(0, 1));
        BigInteger right = new BigInteger(rhs.substring(2));
        return switch (rhs.charAt(1)) {
            case '+' -> left.add(right);
            case '-' -> left.subtract(right);
            case '*' -> left.multiply(right);
            default -> throw new IllegalArgumentException(rhs);
        };
    }

    /** "all x are y" premises as subset edges; the conclusion follows only along them. */
    private static String syllogism(String prompt) {
        String[] parts = prompt.substring(0, prompt.length() - 1).split("\\. ");
        Map<Character, Set<Character>> subsetOf = new HashMap<>();
        for (String premise : parts[0].split("; ")) {
            String[] w = premise.split(" ");
            subsetOf.computeIfAbsent(w[1].charAt(0), k -> new HashSet<>()).add(w[3].charAt(0));
        }
        String[] q = parts[1].split(" ");
        return reaches(subsetOf, q[1].charAt(0), q[3].charAt(0)) ? "yes" : "no";
    }

    /** Builds the "greater than" graph and answers by reachability. */
    private static String compare(String prompt) {
        if (prompt.startsWith("all ")) return syllogism(prompt);
        String[] parts = prompt.split("\\. ");
        Map<Character, Set<Character>> greaterThan = new HashMap<>();
        for (String premise : parts[0].split("; ")) {
            char a = premise.charAt(0), b = premise.charAt(2);
            if (premise.charAt(1) == '>') greaterThan.computeIfAbsent(a, k -> new HashSet<>()).add(b);
            else greaterThan.computeIfAbsent(b, k -> new HashSet<>()).add(a);
        }
        char x = parts[1].charAt(0), y = parts[1].charAt(2);
        if (reaches(greaterThan, x, y)) return ">";
        if (reaches(greaterThan, y, x)) return "<";
        throw new IllegalStateException("undetermined: " + prompt);
    }

    private static boolean reaches(Map<Character, Set<Character>> edges, char from, char to) {
        List<Character> frontier = new ArrayList<>(List.of(from));
        Set<Character> seen = new HashSet<>();
        while (!frontier.isEmpty()) {
            char c = frontier.removeLast();
            if (c == to) return true;
            if (seen.add(c)) frontier.addAll(edges.getOrDefault(c, Set.of()));
        }
        return false;
    }

    private static String lookUp(String prompt) {
        String[] parts = prompt.split("\\. ");
        Map<String, String> map = new HashMap<>();
        for (String pair : parts[0].split(", ")) {
            String[] kv = pair.split("=");
            if (map.put(kv[0], kv[1]) != null) throw new IllegalStateException("duplicate key in " + prompt);
        }
        String v = parts[1].substring(0, parts[1].length() - 1);
        while (!v.chars().allMatch(Character::isDigit)) v = map.get(v);
        return v;
    }

    private static String listOp(String prompt) {
        String body = prompt.substring(0, prompt.length() - 1);
        String[] words = body.split(" ");
        if (words[0].equals("count")) {
            int wanted = Integer.parseInt(words[1]);
            long n = Arrays.stream(words, 3, words.length).mapToInt(Integer::parseInt).filter(v -> v == wanted).count();
            return Long.toString(n);
        }
        List<Integer> items = new ArrayList<>(Arrays.stream(words, 1, words.length).map(Integer::valueOf).toList());
        if (words[0].equals("sort")) items.sort(null);
        else java.util.Collections.reverse(items);
        return String.join(" ", items.stream().map(String::valueOf).toList());
    }
}
