package dev.strata.frontier;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.StrataException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Eval ledgers written here by hand, aggregated per variant and checked against sums done by hand. */
class LedgerReaderTest {
    @TempDir
    Path dir;

    static String line(String variant, String item, boolean correct, double madds, int prompt, int gen, double trainFlops) {
        return String.format(java.util.Locale.ROOT,
                "{\"variant\":\"%s\",\"item\":\"%s\",\"correct\":%s,\"multiplyAdds\":%s,\"promptTokens\":%d,\"generatedTokens\":%d,\"trainingFlops\":%s,\"family\":\"ladder\",\"prediction\":\"x\"}",
                variant, item, correct, madds, prompt, gen, trainFlops);
    }

    @Test
    void variantsAreAggregatedAndResumedItemsCountOnce() throws Exception {
        Files.createDirectories(dir.resolve("run1"));
        Files.writeString(dir.resolve("run1/ledger.jsonl"), String.join("\n",
                line("s50k", "q1", true, 100, 8, 2, 1e12),
                line("s50k", "q2", false, 300, 10, 10, 1e12),
                line("s50k", "q1", false, 999, 1, 1, 1e12), // a resumed run writes q1 again: ignored
                "",
                line("s1m", "q1", true, 2000, 8, 2, 4e13)) + "\n");
        Files.writeString(dir.resolve("run1/other.txt"), "not a ledger");
        ScoreTable t = LedgerReader.read(dir);
        assertEquals(2, t.rows().size());
        ScoreTable.Row small = t.rows().getFirst();
        assertEquals("s50k", small.id());
        assertEquals(2, t.number(small, "n"));
        assertEquals(0.5, t.number(small, "accuracy"));
        assertEquals(200, t.number(small, "multiplyAdds"), "mean per item");
        assertEquals(400.0 / 30, t.number(small, "multiplyAddsPerToken"), 1e-12, "sum of multiply-adds over sum of tokens");
        assertEquals(1e12, t.number(small, "trainingFlops"));
        assertEquals("ladder", small.text("family"));
        assertEquals(1.0, t.number(t.rows().get(1), "accuracy"));
    }

    @Test
    void badLinesNameFileAndLine() throws Exception {
        Files.writeString(dir.resolve("a.jsonl"), line("v", "1", true, 1, 1, 1, 1) + "\n{\"variant\":\"v\",\"correct\":\"yes\"}\n");
        StrataException e = assertThrows(StrataException.class, () -> LedgerReader.read(dir));
        assertTrue(e.getMessage().contains("a.jsonl:2") && e.getMessage().contains("correct"), e.getMessage());
        Files.writeString(dir.resolve("a.jsonl"), "{not json\n");
        assertTrue(assertThrows(StrataException.class, () -> LedgerReader.read(dir)).getMessage().contains("bad JSON"));
        assertThrows(StrataException.class, () -> LedgerReader.read(dir.resolve("absent")));
    }
}
