package dev.strata.train.curriculum;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Sort, reverse or count over a list of {@code difficulty + 1} digits. Sorting and reversing
 * write the result element by element, which is their own step-by-step trace; counting writes a
 * running tally: {@code count 3 in 3 1 3?} gives {@code 3:1 1:1 3:2 => 2}.
 */
final class ListTask implements TaskGenerator {
    @Override
    public Problem generate(int difficulty, RandomGenerator rng) {
        int length = difficulty + 1;
        List<Integer> items = new ArrayList<>(length);
        for (int i = 0; i < length; i++) items.add(rng.nextInt(10));
        String list = join(items);
        return switch (rng.nextInt(3)) {
            case 0 -> {
                List<Integer> sorted = new ArrayList<>(items);
                sorted.sort(null);
                yield new Problem(Family.LIST_OPS, difficulty, "sort " + list + "?", "", join(sorted));
            }
            case 1 -> new Problem(Family.LIST_OPS, difficulty, "reverse " + list + "?", "", join(items.reversed()));
            default -> {
                int wanted = items.get(rng.nextInt(length));
                List<String> tally = new ArrayList<>();
                int count = 0;
                for (int item : items) {
                    if (item == wanted) count++;
                    tally.add(item + ":" + count);
                }
                yield new Problem(Family.LIST_OPS, difficulty, "count " + wanted + " in " + list + "?",
                        String.join(" ", tally), Integer.toString(count));
            }
        };
    }

    private static String join(List<Integer> items) {
        StringBuilder sb = new StringBuilder();
        for (int item : items) sb.append(sb.isEmpty() ? "" : " ").append(item);
        return sb.toString();
    }
}
