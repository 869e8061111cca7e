package dev.strata.sample.grammar;

import dev.strata.StrataException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A parsed GBNF grammar in llama.cpp's flat form: every rule is a run of (type, value) elements in which
 * alternatives are separated by {@link #ALT} and the rule ends with {@link #END}. A character class is a
 * {@link #CHAR} or {@link #CHAR_NOT} element followed by {@link #CHAR_ALT} / {@link #CHAR_RNG_UPPER} elements.
 * Repetitions are already rewritten into helper rules, so recognising needs only references and characters.
 */
public final class Grammar {
    static final int END = 0, ALT = 1, RULE_REF = 2, CHAR = 3, CHAR_NOT = 4, CHAR_RNG_UPPER = 5, CHAR_ALT = 6, CHAR_ANY = 7;

    final int[] types;
    final int[] values;
    final int[] ruleStart;
    private final List<String> ruleNames;
    final int root;
    private final int[][] alternatives;

    Grammar(List<int[]> rules, List<String> ruleNames, int root) {
        int total = 0;
        for (int[] r : rules) total += r.length / 2;
        types = new int[total];
        values = new int[total];
        ruleStart = new int[rules.size()];
        int at = 0;
        for (int r = 0; r < rules.size(); r++) {
            ruleStart[r] = at;
            int[] elements = rules.get(r);
            for (int i = 0; i < elements.length; i += 2, at++) {
                types[at] = elements[i];
                values[at] = elements[i + 1];
            }
        }
        this.ruleNames = List.copyOf(ruleNames);
        this.root = root;
        this.alternatives = new int[ruleStart.length][];
        for (int r = 0; r < ruleStart.length; r++) alternatives[r] = findAlternatives(r);
        rejectLeftRecursion();
    }

    /** Parses GBNF text (llama.cpp's grammar format); the start symbol is {@code root}. */
    public static Grammar parse(String gbnf) {
        return new GbnfParser(gbnf).parse();
    }

    public int ruleCount() { return ruleStart.length; }

    public String ruleName(int rule) { return ruleNames.get(rule); }

    boolean isAltEnd(int pos) {
        return types[pos] == END || types[pos] == ALT;
    }

    /** Start positions of the alternatives of a rule (shared array: do not modify). */
    int[] alternatives(int rule) {
        return alternatives[rule];
    }

    private int[] findAlternatives(int rule) {
        List<Integer> starts = new ArrayList<>();
        int pos = ruleStart[rule];
        starts.add(pos);
        while (types[pos] != END) {
            if (types[pos] == ALT) starts.add(pos + 1);
            pos++;
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Does the character element at pos accept code point c (llama.cpp's match_char)? */
    boolean matches(int pos, int c) {
        boolean positive = types[pos] == CHAR || types[pos] == CHAR_ANY;
        do {
            boolean found;
            if (types[pos + 1] == CHAR_RNG_UPPER) {
                found = values[pos] <= c && c <= values[pos + 1];
                pos += 2;
            } else {
                found = types[pos] == CHAR_ANY || values[pos] == c;
                pos += 1;
            }
            if (found) return positive;
        } while (types[pos] == CHAR_ALT);
        return !positive;
    }

    /**
     * Could an unfinished UTF-8 sequence (value so far, remaining continuation bytes) still complete to a
     * code point the element at pos accepts? As llama.cpp's match_partial_char.
     */
    boolean matchesPartial(int pos, int partialValue, int remaining) {
        boolean positive = types[pos] == CHAR || types[pos] == CHAR_ANY;
        if (remaining == 1 && partialValue < 2) return false; // overlong 2-byte form of a 7-bit char
        int low = partialValue << (remaining * 6);
        int high = low | ((1 << (remaining * 6)) - 1);
        if (low == 0) low = remaining == 2 ? 1 << 11 : remaining == 3 ? 1 << 16 : low;
        do {
            if (types[pos + 1] == CHAR_RNG_UPPER) {
                if (values[pos] <= high && low <= values[pos + 1]) return positive;
                pos += 2;
            } else if (types[pos] == CHAR_ANY) {
                return true;
            } else {
                if (low <= values[pos] && values[pos] <= high) return positive;
                pos += 1;
            }
        } while (types[pos] == CHAR_ALT);
        return !positive;
    }

    /** The position after the character element (with its alternatives and ranges) at pos. */
    int afterChar(int pos) {
        pos += types[pos + 1] == CHAR_RNG_UPPER ? 2 : 1;
        while (types[pos] == CHAR_ALT) pos += types[pos + 1] == CHAR_RNG_UPPER ? 2 : 1;
        return pos;
    }

    /** Left recursion would make the recogniser's expansion loop forever; llama.cpp refuses it too. */
    private void rejectLeftRecursion() {
        int n = ruleStart.length;
        BitSet nullable = new BitSet(n);
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int r = 0; r < n; r++) {
                if (nullable.get(r)) continue;
                for (int alt : alternatives(r)) {
                    int pos = alt;
                    while (!isAltEnd(pos) && types[pos] == RULE_REF && nullable.get(values[pos])) pos++;
                    if (isAltEnd(pos)) {
                        nullable.set(r);
                        changed = true;
                        break;
                    }
                }
            }
        }
        List<BitSet> leftRefs = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            BitSet refs = new BitSet(n);
            for (int alt : alternatives(r)) {
                for (int pos = alt; !isAltEnd(pos) && types[pos] == RULE_REF; pos++) {
                    refs.set(values[pos]);
                    if (!nullable.get(values[pos])) break;
                }
            }
            leftRefs.add(refs);
        }
        int[] mark = new int[n]; // 0 new, 1 on the DFS path, 2 done
        for (int r = 0; r < n; r++) if (mark[r] == 0) visit(r, leftRefs, mark);
    }

    private void visit(int rule, List<BitSet> leftRefs, int[] mark) {
        mark[rule] = 1;
        BitSet refs = leftRefs.get(rule);
        for (int next = refs.nextSetBit(0); next >= 0; next = refs.nextSetBit(next + 1)) {
            if (mark[next] == 1) throw new StrataException("grammar: left recursion in rule '" + ruleNames.get(next) + "'");
            if (mark[next] == 0) visit(next, leftRefs, mark);
        }
        mark[rule] = 2;
    }
}
