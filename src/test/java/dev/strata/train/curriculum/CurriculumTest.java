package dev.strata.train.curriculum;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.StrataException;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CurriculumTest {
    private static final List<Family> ALL = List.of(Family.values());

    @Test
    void sameSeedGivesSameProblems() {
        List<Problem> a = new Curriculum(7, Split.TRAIN, ALL, 1, 6).take(500);
        List<Problem> b = new Curriculum(7, Split.TRAIN, ALL, 1, 6).take(500);
        List<Problem> c = new Curriculum(8, Split.TRAIN, ALL, 1, 6).take(500);
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void splitsNeverShareAProblem() {
        Set<String> train = prompts(new Curriculum(1, Split.TRAIN, ALL, 1, 3).take(6000));
        Set<String> val = prompts(new Curriculum(2, Split.VAL, ALL, 1, 3).take(3000));
        Set<String> test = prompts(new Curriculum(3, Split.TEST, ALL, 1, 3).take(3000));
        // Low difficulties have small problem spaces, so collisions would show up if splits leaked.
        assertTrue(train.size() > 3000 && val.size() > 500 && test.size() > 500, train.size() + " " + val.size() + " " + test.size());
        for (String p : val) assertFalse(train.contains(p) || test.contains(p), p);
        for (String p : test) assertFalse(train.contains(p), p);
        for (String p : train) assertEquals(Split.TRAIN, Split.of(p));
    }

    @Test
    void trainSplitHoldsAboutNinetyPercentOfFreshProblems() {
        SplittableRandom rng = new SplittableRandom(5);
        int train = 0, n = 20_000;
        for (int i = 0; i < n; i++)
            if (Split.of(Family.ARITHMETIC.generator().generate(4, rng).prompt()) == Split.TRAIN) train++;
        assertEquals(0.90, train / (double) n, 0.01);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void answersAgreeWithAnIndependentSolver(Family family) {
        SplittableRandom rng = new SplittableRandom(family.ordinal());
        for (int difficulty = 1; difficulty <= Family.MAX_DIFFICULTY; difficulty++) {
            for (int i = 0; i < 200; i++) {
                Problem p = family.generator().generate(difficulty, rng);
                assertEquals(IndependentSolver.solve(family, p.prompt()), p.answer(), p.plainText());
                assertEquals(difficulty, p.difficulty());
                assertTrue(p.isCorrect(p.target()), p.plainText());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Family.class, names = {"ARITHMETIC", "VARIABLES", "COMPARISON", "KEY_VALUE"})
    void writtenStepsMatchDifficulty(Family family) {
        SplittableRandom rng = new SplittableRandom(11);
        for (int difficulty = 1; difficulty <= 8; difficulty++) {
            Problem p = family.generator().generate(difficulty, rng);
            assertEquals(difficulty, p.steps().split(" ").length, p.plainText());
        }
    }

    @Test
    void comparisonFamilyMixesBothChainKindsAndBothAnswers() {
        SplittableRandom rng = new SplittableRandom(12);
        Set<String> answers = new HashSet<>();
        for (int i = 0; i < 200; i++) answers.add(Family.COMPARISON.generator().generate(3, rng).answer());
        assertEquals(Set.of("<", ">", "yes", "no"), answers);
    }

    @Test
    void arithmeticStepsAreTrueEquations() {
        Pattern step = Pattern.compile("(-?\\d+)([+*-])(-?\\d+)=(-?\\d+)");
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 500; i++) {
            Problem p = Family.ARITHMETIC.generator().generate(1 + i % 8, rng);
            for (String s : p.steps().split(" ")) {
                Matcher m = step.matcher(s);
                assertTrue(m.matches(), s);
                BigInteger a = new BigInteger(m.group(1)), b = new BigInteger(m.group(3));
                BigInteger r = switch (m.group(2)) {
                    case "+" -> a.add(b);
                    case "-" -> a.subtract(b);
                    default -> a.multiply(b);
                };
                assertEquals(r, new BigInteger(m.group(4)), s);
            }
        }
    }

    @Test
    void scorerAcceptsOnlyTheExactFinalAnswer() {
        Problem arith = new Problem(Family.ARITHMETIC, 2, "7+5*3=?", "5*3=15 7+15=22", "22");
        assertTrue(arith.isCorrect("5*3=15 7+15=22 => 22"));
        assertTrue(arith.isCorrect("wrong steps => 22\nanything after the line"));
        assertTrue(arith.isCorrect("=> 22 "));
        assertFalse(arith.isCorrect("5*3=15 7+15=22 => 23"));
        assertFalse(arith.isCorrect("=> 022"));
        assertFalse(arith.isCorrect("=> +22"));
        assertFalse(arith.isCorrect("=> 22.0"));
        assertFalse(arith.isCorrect("5*3=15 7+15=22"));
        assertFalse(arith.isCorrect("\n=> 22"));
        assertFalse(arith.isCorrect("=> 22 => 21"));

        Problem cmp = new Problem(Family.COMPARISON, 1, "A>B. B?A", "B<A", "<");
        assertTrue(cmp.isCorrect("B<A => <"));
        assertFalse(cmp.isCorrect("B<A => >"));
        assertFalse(cmp.isCorrect("B<A => <<"));

        Problem syllogism = new Problem(Family.COMPARISON, 1, "all a are b. all b are a?", "a:b", "no");
        assertTrue(syllogism.isCorrect("a:b => no"));
        assertFalse(syllogism.isCorrect("a:b => yes"));
        assertFalse(syllogism.isCorrect("a:b => No"));

        Problem list = new Problem(Family.LIST_OPS, 3, "sort 3 1 2 1?", "", "1 1 2 3");
        assertTrue(list.isCorrect("=> 1 1 2 3"));
        assertFalse(list.isCorrect("=> 1 1 2"));
        assertFalse(list.isCorrect("=> 1  1 2 3"));
        assertFalse(list.isCorrect("=> 1,1,2,3"));
    }

    @Test
    void formatsCarryTheSameTarget() {
        Problem p = new Curriculum(4, Split.TEST, List.of(Family.VARIABLES), 2, 2).next();
        assertEquals(p.plainPrefix() + p.target() + "\n", p.plainText());
        assertEquals(List.of(new ChatTurn("user", p.prompt()), new ChatTurn("assistant", p.target())), p.chat());
        assertTrue(p.target().endsWith("=> " + p.answer()));
    }

    @Test
    void rejectsBadConfiguration() {
        assertThrows(StrataException.class, () -> new Curriculum(1, Split.TRAIN, ALL, 0, 3));
        assertThrows(StrataException.class, () -> new Curriculum(1, Split.TRAIN, List.of(), 1, 3));
        assertThrows(StrataException.class, () -> Family.byId("poetry"));
        assertEquals(List.of(Family.KEY_VALUE, Family.LIST_OPS), Family.parseList("kv,lists"));
    }

    private static Set<String> prompts(List<Problem> problems) {
        Set<String> s = new HashSet<>();
        for (Problem p : problems) s.add(p.prompt());
        return s;
    }
}
