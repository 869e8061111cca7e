package dev.strata.eval.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {
    @TempDir Path dir;

    static LedgerHeader header(long seed) {
        var v = new LedgerHeader.VariantInfo("base", "cae662172fd4", null, 0, null, "full", 4, 1000, 4096);
        return new LedgerHeader(LedgerHeader.VERSION, "t", 3, "/m.gguf", "ab".repeat(32), List.of(v), "scalar", 2, seed, 0, 10,
                "unknown", "cpu", "2026-01-01T00:00:00Z");
    }

    static LedgerEntry entry(String item, boolean correct) {
        return new LedgerEntry("base", "cae662172fd4", item, "g", 1, "answer \"" + item + "\"\n", correct, Map.of("exact_match", correct ? 1.0 : 0.0),
                5, 3, new ItemCost(8, 100, 200, 0, 0, 4096, 1_000, 900, 0.5, ItemCost.ESTIMATED));
    }

    @Test
    void roundTripsHeaderAndEntriesExactly() {
        try (Ledger l = Ledger.create(dir, header(1))) {
            l.append(List.of(entry("a", true), entry("b", false)));
            l.append(List.of(entry("a", false))); // already there: skipped, the first line wins
        }
        Ledger.Contents c = Ledger.read(dir);
        assertEquals(header(1), c.header());
        assertEquals(List.of(entry("a", true), entry("b", false)), c.entries());
    }

    @Test
    void aTornLastLineIsIgnoredAndCutOffOnResume() throws IOException {
        try (Ledger l = Ledger.create(dir, header(1))) {
            l.append(List.of(entry("a", true)));
        }
        Path file = dir.resolve(Ledger.FILE);
        long good = Files.size(file);
        Files.writeString(file, "{\"type\":\"item\",\"variant\":\"ba", StandardOpenOption.APPEND);
        assertEquals(List.of(entry("a", true)), Ledger.read(dir).entries());
        try (Ledger l = Ledger.resume(dir, header(1))) {
            assertEquals(good, Files.size(file), "the torn tail is truncated before appending");
            assertTrue(l.has("cae662172fd4", "a"));
            l.append(List.of(entry("b", true)));
        }
        assertEquals(List.of(entry("a", true), entry("b", true)), Ledger.read(dir).entries());
        assertTrue(Files.readString(file, StandardCharsets.UTF_8).endsWith("\n"));
    }

    @Test
    void refusesToOverwriteOrToResumeADifferentRun() {
        try (Ledger l = Ledger.create(dir, header(1))) {
            l.append(List.of(entry("a", true)));
        }
        var exists = assertThrows(StrataException.class, () -> Ledger.create(dir, header(1)));
        assertTrue(exists.getMessage().contains("--resume"), exists.getMessage());
        var differs = assertThrows(StrataException.class, () -> Ledger.resume(dir, header(2)));
        assertTrue(differs.getMessage().contains("seed 1 vs 2"), differs.getMessage());
    }

    @Test
    void aCorruptLineInTheMiddleIsAnError() throws IOException {
        try (Ledger l = Ledger.create(dir, header(1))) {
            l.append(List.of(entry("a", true)));
        }
        Files.writeString(dir.resolve(Ledger.FILE), "not json\n", StandardOpenOption.APPEND);
        var e = assertThrows(StrataException.class, () -> Ledger.read(dir));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }
}
