package dev.strata.train.curriculum;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A straight-line program over single-letter variables, e.g. {@code a=3; b=a+4; c=b*2; c=?}. Each
 * of the {@code difficulty} assignments reads one earlier variable, so solving it needs a
 * name-to-value lookup per step; the target lists every assigned value: {@code b=7 c=14 => 14}.
 */
final class VariableTask implements TaskGenerator {
    @Override
    public Problem generate(int difficulty, RandomGenerator rng) {
        List<Character> names = Names.distinctLetters(difficulty + 1, 'a', rng);
        long[] values = new long[difficulty + 1];
        values[0] = rng.nextInt(10);
        StringBuilder prompt = new StringBuilder().append(names.get(0)).append('=').append(values[0]);
        List<String> steps = new ArrayList<>();
        for (int i = 1; i <= difficulty; i++) {
            int source = rng.nextInt(i);
            char op = "+-*".charAt(rng.nextInt(3));
            long operand = op == '*' ? 2 + rng.nextInt(2) : 1 + rng.nextInt(9);
            values[i] = switch (op) {
                case '+' -> values[source] + operand;
                case '-' -> values[source] - operand;
                default -> Math.multiplyExact(values[source], operand);
            };
            prompt.append("; ").append(names.get(i)).append('=').append(names.get(source)).append(op).append(operand);
            steps.add(names.get(i) + "=" + values[i]);
        }
        prompt.append("; ").append(names.get(difficulty)).append("=?");
        return new Problem(Family.VARIABLES, difficulty, prompt.toString(), String.join(" ", steps),
                Long.toString(values[difficulty]));
    }
}
