package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.eval.ledger.Ledger;
import dev.strata.eval.ledger.LedgerEntry;
import dev.strata.eval.ledger.LedgerHeader;
import dev.strata.eval.ledger.ItemCost;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `strata compare` end to end on two ledgers written by the ledger code: the table, the JSON and one-line errors. */
class CompareCommandTest {
    @TempDir
    Path tmp;

    private Path run(String name, String variant, int rightUpTo) {
        Path dir = tmp.resolve(name);
        var h = new LedgerHeader(1, "t", 10, "/m-" + name, "0".repeat(64),
                List.of(new LedgerHeader.VariantInfo(variant, variant + "-h", null, 0, null, "full", 4, 1, 1)), "scalar", 1, 1, 0, 10, "u", "c", "n");
        try (Ledger l = Ledger.create(dir, h)) {
            List<LedgerEntry> items = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                items.add(new LedgerEntry(variant, variant + "-h", "g/d1/" + i, "g", 1, "", i < rightUpTo, Map.of(), 1, 1,
                        new ItemCost(2, 2, 0, 0, 0, 1, 1, 1, 0, ItemCost.ESTIMATED)));
            }
            l.append(items);
        }
        return dir;
    }

    @Test
    void comparesTwoRunsAndRejectsBadInput() {
        Path a = run("a", "base", 2), b = run("b", "loop:0-3x2", 9);
        var r = CliTest.run("compare", "small=" + a, b + "#loop:0-3x2", "--difficulties", "1-4,5-6");
        assertEquals(0, r.code(), r.err());
        // 7 items only the second gets right, none the other way: p = 2 / 2^7; the empty 5-6 range has p = 1
        assertTrue(r.out().contains("| small | " + b + "#loop:0-3x2 | 1-4 | 10 | 0 | 7 | 20.0% | 90.0% | +70.0 pp"), r.out());
        assertTrue(r.out().contains("| 0.016 | 0.031 * |"), r.out());
        var json = CliTest.run("compare", a.toString(), b + "#loop:0-3x2", "-o", "json");
        assertEquals(0, json.code(), json.err());
        assertTrue(json.out().contains("\"only_other\" : 7"), json.out());
        var bad = CliTest.run("compare", a.toString(), b.toString(), "--difficulties", "4-1");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("bad difficulty range '4-1'"), bad.err());
        var missing = CliTest.run("compare", a.toString(), tmp.resolve("nothing").toString());
        assertEquals(1, missing.code());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        var noVariant = CliTest.run("compare", a.toString(), b.toString());
        assertEquals(1, noVariant.code());
        assertTrue(noVariant.err().contains("no variant 'base'"), noVariant.err());
    }
}
