package dev.strata.train.curriculum;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A chain of {@code difficulty} comparisons, shuffled and written in either direction, e.g.
 * {@code C<B; A>B; C>D. D?A}. The target walks the chain from the first queried name to the second
 * ({@code D<C C<B B<A => <}), so each step is one premise looked up and oriented.
 */
final class ComparisonTask implements TaskGenerator {
    @Override
    public Problem generate(int difficulty, RandomGenerator rng) {
        List<Character> chain = Names.distinctLetters(difficulty + 1, 'A', rng); // chain[0] > chain[1] > ...
        List<String> premises = new ArrayList<>();
        for (int i = 0; i < difficulty; i++) {
            char greater = chain.get(i), smaller = chain.get(i + 1);
            premises.add(rng.nextBoolean() ? greater + ">" + smaller : smaller + "<" + greater);
        }
        Names.shuffle(premises, rng);

        boolean fromTop = rng.nextBoolean();
        char first = fromTop ? chain.getFirst() : chain.getLast();
        char second = fromTop ? chain.getLast() : chain.getFirst();
        String relation = fromTop ? ">" : "<";
        List<String> steps = new ArrayList<>();
        for (int k = 0; k < difficulty; k++) {
            int i = fromTop ? k : difficulty - k;
            int j = fromTop ? i + 1 : i - 1;
            steps.add(chain.get(i) + relation + chain.get(j));
        }
        String prompt = String.join("; ", premises) + ". " + first + "?" + second;
        return new Problem(Family.COMPARISON, difficulty, prompt, String.join(" ", steps), relation);
    }
}
