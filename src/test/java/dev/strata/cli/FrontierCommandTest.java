package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `strata frontier` end to end: shipped CSV in, report and plots out, one-line errors (ledgers: FrontierLedgerTest). */
class FrontierCommandTest {
    @TempDir
    Path tmp;

    static String csv() {
        return SharedData.require(SharedData.resolve("data/scaling/base_llm_benchmark_eval.csv")).toString();
    }

    @Test
    void shippedCsvGivesJsonAndPlots() throws Exception {
        CliTest.Result r = CliTest.run("frontier", "--csv", csv(), "--x", "FLOPs (1E21)", "--y", "MMLU", "--group", "Model Family",
                "--bootstrap", "20", "-o", "json", "--out", tmp.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode results = new ObjectMapper().readTree(r.out());
        assertEquals(1, results.size());
        JsonNode mmlu = results.get(0);
        assertEquals(123, mmlu.get("n").asInt());
        assertEquals(25, mmlu.get("missingX").asInt());
        assertEquals(3, mmlu.get("candidates").size());
        assertTrue(List.of("sigmoid", "power law", "linear in log x").contains(mmlu.get("chosen").asText()));
        assertEquals(123, mmlu.get("residuals").size());
        byte[] png = Files.readAllBytes(tmp.resolve("frontier-mmlu.png"));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
        assertTrue(Files.readString(tmp.resolve("frontier-mmlu.svg")).contains("<svg"));
        assertTrue(Files.readString(tmp.resolve("frontier.md")).contains("## MMLU against FLOPs (1E21)"));
    }

    @Test
    void badInputIsOneLine() {
        CliTest.Result r = CliTest.run("frontier", "--csv", csv(), "--x", "FLOPs (1E21)", "--y", "Nope");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("error: no column 'Nope'"), r.err());
        assertEquals(1, r.err().strip().lines().count());
        assertEquals(2, CliTest.run("frontier", "--csv", csv(), "--y", "MMLU").code(), "--x is required");
        assertEquals(1, CliTest.run("frontier", "--csv", csv(), "--x", "FLOPs (1E21)", "--y", "MMLU", "--all-benchmarks").code());
        assertEquals(1, CliTest.run("frontier", "--csv", tmp.resolve("absent.csv").toString(), "--x", "x", "--y", "y").code());
    }
}
