package dev.strata.train.curriculum;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Half comparison chains, half syllogism chains, each of {@code difficulty} shuffled premises.
 * <ul>
 *   <li>Comparisons, written in either direction: {@code C<B; A>B; C>D. D?A}. The target walks the
 *   chain from the first queried name to the second: {@code D<C C<B B<A => <}.</li>
 *   <li>Syllogisms: {@code all b are c; all a are b. all a are c?} with target {@code a:b b:c => yes};
 *   asked the other way round ({@code all c are a?}) the chain is the same and the answer {@code no}.</li>
 * </ul>
 * Each step is one premise looked up and oriented.
 */
final class ComparisonTask implements TaskGenerator {
    @Override
    public Problem generate(int difficulty, RandomGenerator rng) {
        return rng.nextBoolean() ? comparison(difficulty, rng) : syllogism(difficulty, rng);
    }

    private static Problem syllogism(int difficulty, RandomGenerator rng) {
        List<Character> chain = Names.distinctLetters(difficulty + 1, 'a', rng); // chain[i] ⊂ chain[i+1]
        List<String> premises = new ArrayList<>();
        List<String> steps = new ArrayList<>();
        for (int i = 0; i < difficulty; i++) {
            premises.add("all " + chain.get(i) + " are " + chain.get(i + 1));
            steps.add(chain.get(i) + ":" + chain.get(i + 1));
        }
        Names.shuffle(premises, rng);
        boolean entailed = rng.nextBoolean();
        char subject = entailed ? chain.getFirst() : chain.getLast(), predicate = entailed ? chain.getLast() : chain.getFirst();
        String prompt = String.join("; ", premises) + ". all " + subject + " are " + predicate + "?";
        return new Problem(Family.COMPARISON, difficulty, prompt, String.join(" ", steps), entailed ? "yes" : "no");
    }

    private static Problem comparison(int difficulty, RandomGenerator rng) {
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
