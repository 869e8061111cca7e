package dev.strata.train.tokenize;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.StrataException;
import dev.strata.train.curriculum.Curriculum;
import dev.strata.train.curriculum.Family;
import dev.strata.train.curriculum.Problem;
import dev.strata.train.curriculum.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTrainingTest {
    private static final List<String> CORPUS = new Curriculum(1, Split.TRAIN, List.of(Family.values()), 1, 4)
            .take(2000).stream().map(Problem::plainText).toList();

    @Test
    void charVocabularyRoundTripsAndRejectsUnseenCharacters() {
        CharTokenizer tok = CharTokenizer.train(CORPUS);
        assertTrue(tok.vocabSize() > 20 && tok.vocabSize() < 80, "vocab " + tok.vocabSize());
        for (String text : CORPUS.subList(0, 50)) assertEquals(text, tok.decode(tok.encode(text)));
        assertThrows(StrataException.class, () -> tok.encode("§"));
    }

    @Test
    void bpeRoundTripsCompressesAndKeepsDigitsApart() {
        BpeTokenizer tok = BpeTokenizer.train(CORPUS, 512);
        assertEquals(512, tok.vocabSize());
        long bytes = 0, tokens = 0;
        for (String text : CORPUS) {
            int[] ids = tok.encode(text);
            assertEquals(text, tok.decode(ids));
            bytes += text.length();
            tokens += ids.length;
        }
        assertTrue(tokens < 0.8 * bytes, "BPE should compress the curriculum: " + tokens + " tokens for " + bytes + " bytes");
        for (int id = 256; id < tok.vocabSize(); id++) {
            String s = new String(tok.tokenBytes(id), java.nio.charset.StandardCharsets.UTF_8);
            assertFalse(s.matches(".*[0-9].*[0-9].*"), "token '" + s + "' joins two digits");
        }
        assertEquals("12345 =>", tok.decode(tok.encode("12345 =>")));
        assertEquals("héllo ✓", tok.decode(tok.encode("héllo ✓")), "unseen bytes still encode");
    }

    @Test
    void bpeEncodesByMergeRankLikeGpt2() {
        // merges: (a,b)→256, (b,c)→257, (256,c)→258: "abc" takes (a,b) first since it ranks higher.
        BpeTokenizer tok = new BpeTokenizer(new int[][] {{'a', 'b'}, {'b', 'c'}, {256, 'c'}});
        assertArrayEquals(new int[] {258}, tok.encode("abc"));
        assertArrayEquals(new int[] {'x', 257}, tok.encode("xbc"));
        assertArrayEquals(new int[] {256, ' ', 256}, tok.encode("ab ab"), "pieces split at spaces: 'ab', ' ab'");
    }

    @Test
    void trainingIsDeterministicAndSurvivesSaveAndLoad(@TempDir Path dir) throws Exception {
        BpeTokenizer a = BpeTokenizer.train(CORPUS, 300), b = BpeTokenizer.train(CORPUS, 300);
        assertArrayEquals(a.merges(), b.merges());
        Path file = dir.resolve("tok.json");
        a.save(file);
        TrainTokenizer loaded = TrainTokenizer.load(file);
        assertArrayEquals(a.encode(CORPUS.get(3)), loaded.encode(CORPUS.get(3)));
        CharTokenizer c = CharTokenizer.train(CORPUS);
        c.save(file);
        assertArrayEquals(c.encode(CORPUS.get(4)), TrainTokenizer.load(file).encode(CORPUS.get(4)));
        Files.writeString(file, "{\"type\":\"wordpiece\"}");
        assertThrows(StrataException.class, () -> TrainTokenizer.load(file));
    }
}
