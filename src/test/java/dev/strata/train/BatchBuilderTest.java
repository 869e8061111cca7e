package dev.strata.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.StrataException;
import dev.strata.train.curriculum.Curriculum;
import dev.strata.train.curriculum.Family;
import dev.strata.train.curriculum.Problem;
import dev.strata.train.curriculum.Split;
import dev.strata.train.tokenize.CharTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchBuilderTest {
    private static final List<Family> FAMILIES = List.of(Family.VARIABLES, Family.KEY_VALUE);
    private static final CharTokenizer TOKENIZER = CharTokenizer.train(
            new Curriculum(9, Split.TRAIN, List.of(Family.values()), 1, 12).take(3000).stream().map(Problem::plainText).toList());

    @Test
    void lossCoversExactlyTheTargetsOfTheProblemsInOrder() {
        int batch = 3, seq = 200;
        BatchBuilder builder = new BatchBuilder(new Curriculum(5, Split.TRAIN, FAMILIES, 1, 3), TOKENIZER, batch, seq);
        int[][] b = builder.next();
        List<Problem> expected = new Curriculum(5, Split.TRAIN, FAMILIES, 1, 3).take((int) builder.problemsPlaced());
        StringBuilder predicted = new StringBuilder(), inputs = new StringBuilder();
        for (int i = 0; i < batch * seq; i++) {
            if (b[1][i] >= 0) {
                predicted.append(TOKENIZER.decode(new int[] {b[1][i]}));
                assertEquals(b[0][i + 1], b[1][i], "target is the next input token");
            }
            inputs.append(TOKENIZER.decode(new int[] {b[0][i]}));
        }
        StringBuilder targets = new StringBuilder(), texts = new StringBuilder();
        for (Problem p : expected) {
            targets.append(p.target()).append('\n');
            texts.append(p.plainText());
        }
        assertEquals(targets.toString(), predicted.toString());
        assertEquals(texts.toString(), inputs.toString().replaceAll("\n+", "\n"), "inputs are the problems plus newline padding");
    }

    @Test
    void sequencesStartWithAWholeProblemAndPadWithoutLoss() {
        int seq = 120;
        BatchBuilder builder = new BatchBuilder(new Curriculum(6, Split.TRAIN, FAMILIES, 2, 2), TOKENIZER, 2, seq);
        int[][] b = builder.next();
        String second = TOKENIZER.decode(b[0], seq, 2 * seq);
        assertTrue(second.matches("(?s)[a-z].*"), "second sequence starts a problem: " + second);
        int lastTarget = -1;
        for (int i = 0; i < seq; i++) if (b[1][i] >= 0) lastTarget = i;
        for (int i = lastTarget + 2; i < seq; i++) assertEquals(-1, b[1][i]);
    }

    @Test
    void skippingReproducesTheStream() {
        BatchBuilder a = new BatchBuilder(new Curriculum(7, Split.TRAIN, FAMILIES, 1, 4), TOKENIZER, 2, 150);
        a.next();
        long placed = a.problemsPlaced();
        int[][] expected = a.next();
        BatchBuilder b = new BatchBuilder(new Curriculum(7, Split.TRAIN, FAMILIES, 1, 4), TOKENIZER, 2, 150);
        b.skipProblems(placed);
        int[][] actual = b.next();
        assertArrayEquals(expected[0], actual[0]);
        assertArrayEquals(expected[1], actual[1]);
    }

    @Test
    void rejectsProblemsLongerThanASequence() {
        BatchBuilder builder = new BatchBuilder(new Curriculum(1, Split.TRAIN, List.of(Family.KEY_VALUE), 12, 12), TOKENIZER, 1, 32);
        assertThrows(StrataException.class, builder::next);
    }
}
