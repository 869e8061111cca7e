package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.StrataException;
import dev.strata.eval.ledger.Ledger;
import dev.strata.frontier.LedgerReader;
import dev.strata.frontier.ScoreTable;
import dev.strata.model.DefaultModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata frontier --ledger} on run directories written by the real {@code strata eval} and
 * {@code strata research}: every point equals what the run reported itself (eval's JSON summary,
 * research's results.tsv), resumed duplicates count once, and errors name the file and line.
 */
class FrontierLedgerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path runs, evalA, evalB, research;
    static JsonNode summaryA, summaryB;

    @BeforeAll
    static void runEvalTwiceAndResearchOnce() throws Exception {
        runs = tmp.resolve("runs");
        Path model = DefaultModel.resolve(), copy = tmp.resolve("other.gguf");
        Files.copy(model, copy); // a second model file: base of two models must be two points
        evalA = runs.resolve("eval-a");
        evalB = runs.resolve("nested/eval-b");
        summaryA = eval(model, "base;dup:1-1;dup:0-1", evalA);
        summaryB = eval(copy, "base;dup:0-0", evalB);
        research = runs.resolve("research");
        CliTest.Result r = CliTest.run("research", "-m", model.toString(), "--task", "curriculum", "--problems", "2", "--min-difficulty", "1",
                "--max-difficulty", "3", "--space", "skip", "--max-block", "1", "--candidates", "dup:1-2", "--search-items", "4", "--finalists", "2",
                "-t", "2", "--kernels", "panama", "--no-progress", "--out", research.toString());
        assertEquals(0, r.code(), r.err());
    }

    private static JsonNode eval(Path model, String variants, Path out) throws Exception {
        CliTest.Result r = CliTest.run("eval", "-m", model.toString(), "--variants", variants, "--task", "curriculum", "--min-difficulty", "1",
                "--max-difficulty", "1", "--problems", "2", "--seed", "3", "-t", "2", "--no-progress", "--out", out.toString(), "-o", "json");
        assertEquals(0, r.code(), r.err());
        return JSON.readTree(r.out());
    }

    private static Map<String, ScoreTable.Row> byLabel(ScoreTable t) {
        Map<String, ScoreTable.Row> m = new HashMap<>();
        for (ScoreTable.Row r : t.rows()) assertNull(m.put(r.id(), r), "labels are unique");
        return m;
    }

    private static void assertPointIs(ScoreTable t, ScoreTable.Row row, JsonNode v) {
        assertEquals(v.get("n").asInt(), t.number(row, "n"));
        assertEquals(v.get("correct").asInt(), t.number(row, "correct"));
        assertEquals(v.get("accuracy").asDouble(), t.number(row, "accuracy"));
        assertEquals(v.get("wilson95").get("low").asDouble(), t.number(row, "wilson_low"));
        assertEquals(v.get("wilson95").get("high").asDouble(), t.number(row, "wilson_high"));
        assertEquals(v.get("multiply_adds_per_token").asDouble(), t.number(row, "multiply_adds_per_token"));
        assertEquals(v.get("weight_bytes_per_token").asDouble(), t.number(row, "weight_bytes_per_token"));
        assertEquals(v.get("active_parameters").asLong(), t.number(row, "active_parameters"));
    }

    @Test
    void everyEvalPointEqualsTheSummaryEvalPrinted() {
        ScoreTable t = LedgerReader.read(List.of(evalA, evalB));
        String modelA = DefaultModel.resolve().getFileName().toString().replaceAll("\\.gguf$", "");
        Map<String, ScoreTable.Row> rows = byLabel(t);
        assertEquals(5, rows.size(), rows.keySet().toString());
        assertPointIs(t, rows.get(modelA + " base"), summaryA.get("variants").get(0));
        assertPointIs(t, rows.get(modelA + " dup:1-1"), summaryA.get("variants").get(1));
        assertPointIs(t, rows.get(modelA + " dup:0-1"), summaryA.get("variants").get(2));
        assertPointIs(t, rows.get("other base"), summaryB.get("variants").get(0));
        assertPointIs(t, rows.get("other dup:0-0"), summaryB.get("variants").get(1));
        assertEquals("other", rows.get("other base").text("model"));
        assertEquals("dup:1-1", rows.get(modelA + " dup:1-1").text("variant"));
        assertTrue(t.number(rows.get(modelA + " dup:1-1"), "multiply_adds_per_token") > t.number(rows.get(modelA + " base"), "multiply_adds_per_token"),
                "a duplicated layer costs more per token");
    }

    @Test
    void researchPointsAreTheHeldOutRowsOfResultsTsv() throws Exception {
        ScoreTable t = LedgerReader.read(List.of(research));
        Map<String, ScoreTable.Row> rows = new HashMap<>();
        for (ScoreTable.Row r : t.rows()) rows.put(r.text("variant"), r);
        List<String> lines = Files.readAllLines(research.resolve("results.tsv"));
        List<String> header = List.of(lines.getFirst().split("\t"));
        int held = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            String stage = f[header.indexOf("stage")], variant = f[header.indexOf("variant")];
            if (!stage.equals("baseline") && !stage.equals("heldout")) {
                if (stage.startsWith("search")) assertFalse(rows.containsKey(variant), variant + " was only scored on search items");
                continue;
            }
            held++;
            ScoreTable.Row r = rows.get(variant);
            assertNotNull(r, variant);
            assertEquals("held-out", r.text("split"));
            assertEquals(Integer.parseInt(f[header.indexOf("n")]), t.number(r, "n"), variant);
            assertEquals(Double.parseDouble(f[header.indexOf("metric")]), t.number(r, "accuracy"), 5e-5, variant);
            assertEquals(Double.parseDouble(f[header.indexOf("multiply_adds_per_token")]), t.number(r, "multiply_adds_per_token"), 0.5, variant);
        }
        assertTrue(held >= 2, "the baseline and at least one finalist");
        assertEquals(held, t.rows().size());

        // killed during the search: the ledger's first item lines are search items only, so the run has no point yet
        Path killed = tmp.resolve("killed/research");
        Files.createDirectories(killed);
        Files.write(killed.resolve(Ledger.FILE), Files.readAllLines(research.resolve(Ledger.FILE)).subList(0, 3));
        assertEquals(0, LedgerReader.read(List.of(killed)).rows().size());
    }

    @Test
    void parentsGlobsAndRepeatsFindEachRunOnceAndResumedDuplicatesCountOnce() throws Exception {
        Path copy = tmp.resolve("dup-run");
        Files.createDirectories(copy);
        List<String> lines = Files.readAllLines(evalB.resolve(Ledger.FILE));
        String last = lines.getLast();
        String flipped = last.contains("\"correct\":true") ? last.replace("\"correct\":true", "\"correct\":false") : last.replace("\"correct\":false", "\"correct\":true");
        assertNotEquals(last, flipped);
        Files.write(copy.resolve(Ledger.FILE), lines);
        // a resumed run that scored the last item again (the first line wins), then a torn line from a kill
        Files.writeString(copy.resolve(Ledger.FILE), flipped + "\n{\"type\":\"item\",\"vari", StandardOpenOption.APPEND);
        ScoreTable t = LedgerReader.read(List.of(copy));
        assertPointIs(t, t.rows().get(0), summaryB.get("variants").get(0));
        assertPointIs(t, t.rows().get(1), summaryB.get("variants").get(1));

        List<String> twice = LedgerReader.read(List.of(evalB, copy)).rows().stream().map(ScoreTable.Row::id).toList();
        assertEquals(List.of("other base (runs/nested/eval-b)", "other dup:0-0 (runs/nested/eval-b)", "other base (dup-run)", "other dup:0-0 (dup-run)"),
                twice, "the same model and variant from two runs: each label names its run");

        ScoreTable all = LedgerReader.read(List.of(runs, evalA, Path.of(runs + "/*/eval-*")));
        assertEquals(5 + LedgerReader.read(List.of(research)).rows().size(), all.rows().size(), "each run once");
    }

    @Test
    void badRunsAreOneLineErrorsNamingFileAndLine() throws Exception {
        Path bad = tmp.resolve("bad");
        Files.createDirectories(bad);
        List<String> lines = Files.readAllLines(evalA.resolve(Ledger.FILE));
        Files.write(bad.resolve(Ledger.FILE), List.of(lines.get(0), lines.get(1), "{\"type\":\"item\",\"correct\":", lines.get(2)));
        StrataException e = assertThrows(StrataException.class, () -> LedgerReader.read(List.of(bad)));
        assertTrue(e.getMessage().contains(bad.resolve(Ledger.FILE) + " line 3"), e.getMessage());
        Files.write(bad.resolve(Ledger.FILE), lines.subList(1, 3));
        assertTrue(assertThrows(StrataException.class, () -> LedgerReader.read(List.of(bad))).getMessage().contains("line 1"));
        assertTrue(assertThrows(StrataException.class, () -> LedgerReader.read(List.of(tmp.resolve("absent")))).getMessage().contains("not found"));
        assertTrue(assertThrows(StrataException.class, () -> LedgerReader.read(List.of(Path.of(runs + "/nothing-*")))).getMessage().contains("no eval run"));
        CliTest.Result r = CliTest.run("frontier", "--ledger", bad.toString(), "--x", "multiply_adds_per_token", "--y", "accuracy");
        assertEquals(1, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void frontierCommandFitsEvalPoints() {
        CliTest.Result r = CliTest.run("frontier", "--ledger", evalA.toString(), "--ledger", evalB.toString(), "--x", "multiply_adds_per_token",
                "--y", "accuracy", "--group", "variant", "--bootstrap", "20", "--holdout", "0.34", "-o", "json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"dup:1-1\""), r.out());
        CliTest.Result all = CliTest.run("frontier", "--ledger", evalA.toString(), "--ledger", evalB.toString(), "--x", "multiply_adds_per_token",
                "--all-benchmarks", "--bootstrap", "20", "--holdout", "0.34");
        assertEquals(0, all.code(), all.err());
        assertEquals(1, all.out().lines().filter(l -> l.startsWith("## ")).count(), "accuracy only: " + all.out());
    }

    @Test
    void aStrataTrainedModelBringsItsTrainingFlopsAndOthersLeaveThemMissing() throws Exception {
        Path tiny = tmp.resolve("tiny.gguf");
        CliTest.Result train = CliTest.run("train", "--dim", "16", "--layers", "1", "--heads", "2", "--seq", "128", "--batch", "2",
                "--steps", "3", "--threads", "1", "--val-batches", "1", "--eval-problems", "1", "--export", tiny.toString());
        assertEquals(0, train.code(), train.err());
        double printed = Double.parseDouble(train.out().lines().filter(l -> l.startsWith("training_flops:")).findFirst().orElseThrow()
                .substring("training_flops:".length()).strip());
        Path run = tmp.resolve("runs-trained/eval-tiny");
        eval(tiny, "base", run);
        ScoreTable t = LedgerReader.read(List.of(run, evalB));
        Map<String, ScoreTable.Row> rows = byLabel(t);
        assertEquals(printed, t.number(rows.get("tiny base"), "training_flops"), 1e-6 * printed, "the trainer's own summary");
        assertTrue(Double.isNaN(t.number(rows.get("other base"), "training_flops")),
                "a model without strata.train.flops has none, never zero");
        Files.write(tiny, new byte[] {1}, StandardOpenOption.APPEND); // the file the run scored is gone
        assertTrue(Double.isNaN(t.number(byLabel(LedgerReader.read(List.of(run))).get("tiny base"), "training_flops")));
    }
}
