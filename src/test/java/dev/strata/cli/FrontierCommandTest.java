package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `strata frontier` end to end: shipped CSV and a hand-written ledger in, report and plots out, one-line errors. */
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

    /** Eight ladder variants whose accuracy rises with training FLOPs; the ledger reader feeds the same analysis. */
    @Test
    void ledgerDirectoryIsAnalysed() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int v = 0; v < 8; v++) {
            double flops = Math.pow(10, 12 + v * 0.5);
            int correct = (int) Math.round(200 * (0.25 + 0.6 / (1 + Math.exp(-1.5 * (v * 0.5 - 2)))));
            for (int i = 0; i < 200; i++) {
                lines.add(String.format(Locale.ROOT, "{\"variant\":\"m%d\",\"item\":\"q%d\",\"correct\":%s,\"multiplyAdds\":%d,"
                        + "\"promptTokens\":10,\"generatedTokens\":2,\"trainingFlops\":%s}", v, i, i < correct, 1000 * (v + 1), flops));
            }
        }
        Files.write(tmp.resolve("ledger.jsonl"), lines);
        CliTest.Result r = CliTest.run("frontier", "--ledger", tmp.toString(), "--x", "trainingFlops", "--y", "accuracy", "--bootstrap", "20", "--loss-scale", "auto");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("## accuracy against trainingFlops"), r.out());
        assertTrue(r.out().contains("8 models fitted"), r.out());
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
