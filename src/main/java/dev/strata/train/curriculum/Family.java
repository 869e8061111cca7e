package dev.strata.train.curriculum;

import dev.strata.StrataException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The five task families, each with its generator and its exact-match scorer. */
public enum Family {
    ARITHMETIC("arithmetic", new ArithmeticTask(), AnswerKind.INTEGER),
    VARIABLES("variables", new VariableTask(), AnswerKind.INTEGER),
    COMPARISON("comparison", new ComparisonTask(), AnswerKind.RELATION),
    KEY_VALUE("kv", new KeyValueTask(), AnswerKind.INTEGER),
    LIST_OPS("lists", new ListTask(), AnswerKind.INTEGER_LIST);

    public static final int MAX_DIFFICULTY = 12;

    private final String id;
    private final TaskGenerator generator;
    private final AnswerKind answerKind;

    Family(String id, TaskGenerator generator, AnswerKind answerKind) {
        this.id = id;
        this.generator = generator;
        this.answerKind = answerKind;
    }

    /** Short name used on the command line and in summary keys. */
    public String id() {
        return id;
    }

    public TaskGenerator generator() {
        return generator;
    }

    public static Family byId(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        for (Family f : values()) if (f.id.equals(wanted) || f.name().toLowerCase(Locale.ROOT).equals(wanted)) return f;
        throw new StrataException("unknown curriculum family '" + id + "' (expected one of "
                + Arrays.stream(values()).map(Family::id).toList() + ")");
    }

    public static List<Family> parseList(String commaSeparated) {
        if (commaSeparated.isBlank() || commaSeparated.equals("all")) return List.of(values());
        return Arrays.stream(commaSeparated.split(",")).map(Family::byId).distinct().toList();
    }

    /**
     * Exact match on the final answer: the text after the last answer mark on the first line of
     * the output, in this family's answer syntax. Reasoning steps are not graded.
     */
    public boolean isCorrect(Problem problem, String modelOutput) {
        String given = extractAnswer(modelOutput);
        return given != null && answerKind.wellFormed(given) && given.equals(problem.answer());
    }

    /** The final answer in a generated target, or null when the output never reached the answer mark. */
    public static String extractAnswer(String modelOutput) {
        int newline = modelOutput.indexOf('\n');
        String line = newline >= 0 ? modelOutput.substring(0, newline) : modelOutput;
        int mark = line.lastIndexOf(Problem.ANSWER_MARK);
        return mark < 0 ? null : line.substring(mark + Problem.ANSWER_MARK.length()).trim();
    }

    private enum AnswerKind {
        INTEGER("-?(0|[1-9][0-9]*)"),
        RELATION("[<>]|yes|no"),
        INTEGER_LIST("-?(0|[1-9][0-9]*)( -?(0|[1-9][0-9]*))*");

        private final Pattern syntax;

        AnswerKind(String regex) {
            this.syntax = Pattern.compile(regex);
        }

        boolean wellFormed(String answer) {
            return syntax.matcher(answer).matches();
        }
    }
}
