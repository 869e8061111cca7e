package dev.strata.train.curriculum;

import java.util.List;

/**
 * One generated task. The target the model learns is the written-out reasoning followed by
 * {@value #ANSWER_MARK} and the answer, e.g. prompt {@code a=3; b=a+4; c=b*2; c=?} and target
 * {@code b=7 c=14 => 14}. The prompt is the problem's canonical text: it alone decides the split.
 */
public record Problem(Family family, int difficulty, String prompt, String steps, String answer) {
    public static final String ANSWER_MARK = "=>";

    public String target() {
        return steps.isEmpty() ? ANSWER_MARK + " " + answer : steps + " " + ANSWER_MARK + " " + answer;
    }

    /** What the model sees before it starts generating in plain-text format. */
    public String plainPrefix() {
        return prompt + " ";
    }

    /** One training line: prefix, target and the newline that ends generation. */
    public String plainText() {
        return plainPrefix() + target() + "\n";
    }

    /** The same problem as a user/assistant exchange, to be rendered by the model's chat template. */
    public List<ChatTurn> chat() {
        return List.of(new ChatTurn("user", prompt), new ChatTurn("assistant", target()));
    }

    public boolean isCorrect(String modelOutput) {
        return family.isCorrect(this, modelOutput);
    }
}
