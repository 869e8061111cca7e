package dev.strata.eval.yaml;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.SharedData;
import dev.strata.eval.EvalItem;
import dev.strata.eval.ItemOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * tasks/gsm8k.yaml's answer extraction and scoring, on the real GSM8K answers (their "#### N" line,
 * parsed here independently) and on crafted model outputs whose lm-eval scores follow from lm-eval's
 * documented filters: strict-match reads "#### N", flexible-extract the last number-like run, and
 * exact_match deletes ",", "$", everything up to "#### " and one trailing "." before comparing.
 */
class Gsm8kExtractionTest {
    static YamlTask task;
    static List<String> answers;

    @BeforeAll
    static void load() throws Exception {
        Path data = SharedData.require(SharedData.resolve("data/tasks/gsm8k-test.jsonl"));
        task = (YamlTask) YamlTaskLoader.load(Path.of("tasks/gsm8k.yaml"));
        ObjectMapper json = new ObjectMapper();
        answers = Files.readAllLines(data).stream().filter(l -> !l.isBlank()).map(l -> {
            try {
                return json.readTree(l).get("answer").asText();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    static ItemOutcome score(String output, String gold) {
        return task.scoreResponses(List.of(output), gold, 0, 0);
    }

    @Test
    void everyTestProblemIsAnItem() {
        assertEquals(1319, answers.size());
        assertEquals(1319, task.items().size());
        assertEquals(answers.get(7), task.target(task.items().get(7)));
    }

    @Test
    void theRealAnswersScoreAsCorrectUnderBothFilters() {
        int strict = 0, flexible = 0;
        for (int i = 0; i < answers.size(); i++) {
            String a = answers.get(i);
            String number = a.substring(a.lastIndexOf("#### ") + 5).strip();
            ItemOutcome o = score(a, a);
            assertEquals(number, o.prediction(), "strict-match extracts the number after ####, item " + i);
            strict += o.metrics().get("exact_match,strict-match").intValue();
            flexible += o.metrics().get("exact_match,flexible-extract").intValue();
        }
        assertEquals(1319, strict, "a model that writes the reference answer scores 100 % strict");
        assertEquals(1319, flexible, "... and flexible (the #### number is the answer's last number)");
    }

    @Test
    void craftedOutputsScoreAsLmEvalDocuments() {
        String gold = answers.getFirst(); // "... #### 18"
        assertScores(" 16 - 3 - 4 = 9 eggs, 9 * 2 = 18.\n#### 18", gold, "18", 1, 1);
        // no "####": strict falls back to [invalid]; flexible takes the last number
        assertScores(" She makes 9 * 2 = 18 dollars.", gold, "[invalid]", 0, 1);
        // flexible takes "$18.00." whole; exact_match leaves "18.00" != "18"
        assertScores(" She makes $18.00.", gold, "[invalid]", 0, 0);
        // trailing period and thousands separators are ignored by exact_match
        assertScores(" #### 18.", gold, "18.", 1, 1);
        assertScores(" The answer is 17 or 18, not 19", gold, "[invalid]", 0, 0);
        String thousands = "Total 1200 + 34\n#### 1234";
        assertScores(" so #### 1,234", thousands, "1,234", 1, 1);
        assertScores(" #### -5", "x\n#### -5", "-5", 1, 1);
        assertScores(" #### 18 and later #### 20", gold, "18", 1, 0);
    }

    private static void assertScores(String output, String gold, String strictAnswer, int strict, int flexible) {
        ItemOutcome o = score(output, gold);
        assertEquals(strictAnswer, o.prediction(), output);
        assertEquals(strict, o.metrics().get("exact_match,strict-match").intValue(), "strict on " + output);
        assertEquals(flexible, o.metrics().get("exact_match,flexible-extract").intValue(), "flexible on " + output);
        assertEquals(strict == 1, o.correct(), "correct is the first metric under the first filter");
    }

    @Test
    void fiveShotPromptsAreFixedAndNeverShowTheItem() {
        for (int i : new int[] {0, 1, 500, 1318}) {
            EvalItem item = task.items().get(i);
            String prompt = task.prompt(item);
            assertEquals(prompt, task.prompt(item), "deterministic");
            assertEquals(6, prompt.split("Question: ", -1).length - 1, "5 examples + the question");
            String own = "Question: " + answerlessQuestion(i) + "\nAnswer:";
            assertTrue(prompt.endsWith(own), prompt);
            assertEquals(prompt.length() - own.length(), prompt.indexOf(own), "the item is not among its examples");
            assertTrue(prompt.contains("\n#### "), "examples carry their full answers");
            assertTrue(prompt.contains("\n\nQuestion: "), "examples are separated by the fewshot delimiter");
        }
        String examples0 = task.prompt(task.items().get(0)), examples1 = task.prompt(task.items().get(1));
        assertNotEquals(examples0.substring(0, examples0.lastIndexOf("Question: ")), examples1.substring(0, examples1.lastIndexOf("Question: ")),
                "each item has its own draw");
    }

    private static String answerlessQuestion(int i) {
        try {
            return new ObjectMapper().readTree(Files.readAllLines(SharedData.resolve("data/tasks/gsm8k-test.jsonl")).get(i)).get("question").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void zeroShotCotTargetIsTheNumber() {
        YamlTask cot = (YamlTask) YamlTaskLoader.load(Path.of("tasks/gsm8k-cot-zeroshot.yaml"));
        assertEquals("18", cot.target(cot.items().getFirst()));
        assertEquals("Q: " + answerlessQuestion(0) + "\nA: Let's think step by step.", cot.prompt(cot.items().getFirst()));
        ItemOutcome o = cot.scoreResponses(List.of(" 16-3-4=9, 9*2=18. The answer is 18."), "18", 0, 0);
        assertEquals("18", o.prediction());
        assertTrue(o.correct());
    }
}
