package dev.strata.train.curriculum;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Integer expressions with {@code difficulty} operators (+, -, *), e.g. {@code 7+5*3-4=?}. The
 * target reduces one operator per step in precedence order: {@code 5*3=15 7+15=22 22-4=18 => 18}.
 */
final class ArithmeticTask implements TaskGenerator {
    private static final char[] OPERATORS = {'+', '-', '*'};
    private static final int MAX_OPERAND = 19;

    @Override
    public Problem generate(int difficulty, RandomGenerator rng) {
        List<Long> values = new ArrayList<>();
        List<Character> ops = new ArrayList<>();
        StringBuilder prompt = new StringBuilder();
        for (int i = 0; i <= difficulty; i++) {
            long v = rng.nextInt(MAX_OPERAND + 1);
            values.add(v);
            prompt.append(v);
            if (i < difficulty) {
                char op = OPERATORS[rng.nextInt(OPERATORS.length)];
                ops.add(op);
                prompt.append(op);
            }
        }
        prompt.append("=?");

        List<String> steps = new ArrayList<>();
        reduce(values, ops, steps, true);
        reduce(values, ops, steps, false);
        return new Problem(Family.ARITHMETIC, difficulty, prompt.toString(), String.join(" ", steps),
                Long.toString(values.getFirst()));
    }

    /** Applies the leftmost operator of one precedence level until none is left, recording each step. */
    private static void reduce(List<Long> values, List<Character> ops, List<String> steps, boolean multiplicative) {
        int i = 0;
        while (i < ops.size()) {
            char op = ops.get(i);
            if ((op == '*') != multiplicative) {
                i++;
                continue;
            }
            long a = values.get(i), b = values.get(i + 1);
            long r = switch (op) {
                case '+' -> a + b;
                case '-' -> a - b;
                default -> Math.multiplyExact(a, b);
            };
            steps.add(a + String.valueOf(op) + b + "=" + r);
            values.set(i, r);
            values.remove(i + 1);
            ops.remove(i);
        }
    }
}
