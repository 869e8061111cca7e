package dev.strata.train.curriculum;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** Random distinct short names for the tasks that look things up by name. */
final class Names {
    private Names() {}

    static List<Character> distinctLetters(int count, char first, RandomGenerator rng) {
        List<Character> pool = new ArrayList<>();
        for (int i = 0; i < 26; i++) pool.add((char) (first + i));
        shuffle(pool, rng);
        return new ArrayList<>(pool.subList(0, count));
    }

    /** Distinct two-letter lowercase keys such as {@code qk}. */
    static List<String> distinctKeys(int count, RandomGenerator rng) {
        List<String> keys = new ArrayList<>(count);
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (keys.size() < count) {
            String key = "" + (char) ('a' + rng.nextInt(26)) + (char) ('a' + rng.nextInt(26));
            if (seen.add(key)) keys.add(key);
        }
        return keys;
    }

    /** Fisher-Yates with the caller's generator, so results depend only on the seed. */
    static <T> void shuffle(List<T> list, RandomGenerator rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}
