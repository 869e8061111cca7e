package dev.strata.train;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.cli.Main;
import dev.strata.train.curriculum.Family;
import dev.strata.train.curriculum.Problem;
import dev.strata.train.tokenize.TrainTokenizer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsTest {
    @Test
    void curriculumWritesVerifiableJsonLines(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("p.jsonl");
        assertEquals(0, Main.run(new String[] {"curriculum", "-n", "25", "--families", "arithmetic,lists", "--split", "test", "-o", out.toString()}));
        List<String> lines = Files.readAllLines(out);
        assertEquals(25, lines.size());
        ObjectMapper mapper = new ObjectMapper();
        for (String line : lines) {
            var json = mapper.readTree(line);
            Family family = Family.byId(json.get("family").asText());
            Problem p = new Problem(family, json.get("difficulty").asInt(), json.get("prompt").asText(), "", json.get("answer").asText());
            assertTrue(p.isCorrect(json.get("target").asText()), line);
            assertEquals("test", json.get("split").asText());
        }
    }

    @Test
    void tokenizerTrainWritesALoadableVocabulary(@TempDir Path dir) {
        Path out = dir.resolve("tok.json");
        PrintStream original = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream()));
        try {
            assertEquals(0, Main.run(new String[] {"tokenizer", "train", "--type", "bpe", "--vocab", "300", "--families", "kv", "-o", out.toString()}));
        } finally {
            System.setOut(original);
        }
        assertEquals(300, TrainTokenizer.load(out).vocabSize());
    }

    @Test
    void badArgumentsGiveAnErrorCode() {
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream()));
        try {
            assertNotEquals(0, Main.run(new String[] {"train", "--dim", "128"}));
            assertNotEquals(0, Main.run(new String[] {"curriculum", "--split", "dev"}));
        } finally {
            System.setErr(originalErr);
        }
    }
}
