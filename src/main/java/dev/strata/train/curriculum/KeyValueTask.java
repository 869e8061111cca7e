package dev.strata.train.curriculum;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Retrieval from a shuffled list of {@code key=value} pairs where values are numbers or other keys.
 * Difficulty is the number of lookups: the queried key points to a key, which points on, until
 * the {@code difficulty}-th lookup gives a number. Example (difficulty 2):
 * {@code qa=17, zk=qa, mb=40. zk?} with target {@code zk=qa qa=17 => 17}.
 */
final class KeyValueTask implements TaskGenerator {
    private final int distractors;

    KeyValueTask() {
        this(-1);
    }

    /** distractors < 0 chooses 3 + difficulty pairs that are not on the lookup chain. */
    KeyValueTask(int distractors) {
        this.distractors = distractors;
    }

    @Override
    public Problem generate(int difficulty, RandomGenerator rng) {
        int extra = distractors >= 0 ? distractors : 3 + difficulty;
        List<String> keys = Names.distinctKeys(difficulty + extra, rng);
        List<String> pairs = new ArrayList<>();
        List<String> steps = new ArrayList<>();
        String answer = Integer.toString(10 + rng.nextInt(90));
        for (int i = 0; i < difficulty; i++) {
            String value = i + 1 < difficulty ? keys.get(i + 1) : answer;
            pairs.add(keys.get(i) + "=" + value);
            steps.add(keys.get(i) + "=" + value);
        }
        for (int i = difficulty; i < keys.size(); i++) {
            boolean pointsToKey = difficulty > 1 && rng.nextInt(3) == 0;
            String value = pointsToKey ? keys.get(rng.nextInt(keys.size())) : Integer.toString(10 + rng.nextInt(90));
            if (value.equals(keys.get(i))) value = Integer.toString(10 + rng.nextInt(90));
            pairs.add(keys.get(i) + "=" + value);
        }
        Names.shuffle(pairs, rng);
        String prompt = String.join(", ", pairs) + ". " + keys.getFirst() + "?";
        return new Problem(Family.KEY_VALUE, difficulty, prompt, String.join(" ", steps), answer);
    }
}
