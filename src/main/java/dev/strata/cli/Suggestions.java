package dev.strata.cli;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/** The commands or options nearest to a mistyped one, by edit distance, for "did you mean" hints. */
final class Suggestions {
    private Suggestions() {}

    static List<String> nearest(CommandLine.UnmatchedArgumentException ex) {
        List<String> unmatched = ex.getUnmatched();
        if (unmatched.isEmpty()) return List.of();
        String typed = unmatched.getFirst().split("=", 2)[0];
        var spec = ex.getCommandLine().getCommandSpec();
        Stream<String> candidates = typed.startsWith("-")
                ? spec.options().stream().filter(o -> !o.hidden()).flatMap(o -> Stream.of(o.names()))
                : spec.subcommands().keySet().stream();
        int limit = Math.max(1, Math.min(3, typed.length() / 3));
        return candidates.distinct()
                .filter(c -> distance(typed, c) <= limit)
                .sorted(Comparator.comparingInt((String c) -> distance(typed, c)).thenComparing(c -> c))
                .limit(3).toList();
    }

    /** Damerau-Levenshtein distance (adjacent transpositions count once, as typos do). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
