package dev.strata.frontier;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.SharedData;
import dev.strata.StrataException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** CSV parsing, missing cells, the join on Model, and the shipped ObsScaling files read in place. */
class CsvTableReaderTest {
    static final Path BASE = SharedData.resolve("data/scaling/base_llm_benchmark_eval.csv");
    static final Path V2 = SharedData.resolve("data/scaling/base_llm_leaderboard_v2_eval.csv");
    static final Benchmark.XSpec FLOPS = new Benchmark.XSpec("FLOPs (1E21)", false, "Model Size (B)", "Pretraining Data Size (T)");

    @Test
    void quotedFieldsCrlfAndMissingCells() {
        String csv = "Model,Family,x,score\r\n\"org/a, b\",F,10,0.5\r\n\"say \"\"hi\"\"\",F,,0.7\r\nc,G,100\r\n";
        ScoreTable t = CsvTableReader.parse(csv, "test");
        assertEquals(List.of("org/a, b", "say \"hi\"", "c"), t.rows().stream().map(ScoreTable.Row::id).toList());
        assertEquals(10, t.number(t.rows().get(0), "x"));
        assertTrue(Double.isNaN(t.number(t.rows().get(1), "x")), "an empty cell is missing, not zero");
        assertTrue(Double.isNaN(t.number(t.rows().get(2), "score")), "a short record's absent cells are missing");
    }

    @Test
    void badInputGivesOneLineErrors() {
        assertThrows(StrataException.class, () -> CsvTableReader.parse("Model,x\na,1\na,2\n", "t"));
        assertThrows(StrataException.class, () -> CsvTableReader.parse("Model,x\n\"a,1\n", "t"));
        assertThrows(StrataException.class, () -> CsvTableReader.parse("Model,x\na,1,2\n", "t"));
        ScoreTable t = CsvTableReader.parse("Model,x\na,abc\n", "t");
        StrataException e = assertThrows(StrataException.class, () -> t.number(t.rows().getFirst(), "x"));
        assertTrue(e.getMessage().contains("'abc' is not a number"), e.getMessage());
    }

    @Test
    void joinKeepsFirstOrderAndRejectsDisagreement() {
        ScoreTable a = CsvTableReader.parse("Model,x,s1\na,1,0.1\nb,2,\n", "a");
        ScoreTable b = CsvTableReader.parse("Model,s2,s1\nb,0.9,0.2\nc,0.3,\n", "b");
        ScoreTable j = ScoreTable.join(List.of(a, b));
        assertEquals(List.of("Model", "x", "s1", "s2"), j.columns());
        assertEquals(List.of("a", "b", "c"), j.rows().stream().map(ScoreTable.Row::id).toList());
        assertEquals(0.2, j.number(j.rows().get(1), "s1"), "b's missing s1 is filled from the second table");
        assertTrue(Double.isNaN(j.number(j.rows().get(0), "s2")));
        ScoreTable clash = CsvTableReader.parse("Model,s1\na,0.5\n", "c");
        assertThrows(StrataException.class, () -> ScoreTable.join(List.of(a, clash)));
    }

    /** Values checked by eye against the file; counts by awk over its columns. */
    @Test
    void shippedDataReadsInPlace() {
        ScoreTable t = ScoreTable.join(List.of(CsvTableReader.read(SharedData.require(BASE)), CsvTableReader.read(SharedData.require(V2))));
        assertEquals(148, t.rows().size());
        ScoreTable.Row llama2 = t.rows().getFirst();
        assertEquals("meta-llama/Llama-2-7b-hf", llama2.id());
        assertEquals(84.0, t.number(llama2, "FLOPs (1E21)"));
        assertEquals(0.34750911300121506, t.number(llama2, "leaderboard_bbh"));
        ScoreTable.Row qwen2 = t.rows().stream().filter(r -> r.id().equals("Qwen/Qwen2-72B")).findFirst().orElseThrow();
        assertTrue(Double.isNaN(t.number(qwen2, "FLOPs (1E21)")));
        Benchmark mmlu = Benchmark.select(t, FLOPS, "MMLU", "Model Family", Set.of());
        assertEquals(123, mmlu.size());
        assertEquals(25, mmlu.missingX());
        assertEquals(0.25, mmlu.chance());
        Benchmark arc = Benchmark.select(t, FLOPS, "ARC-C", "Model Family", Set.of("huggyllama/llama-7b"));
        assertEquals(119, arc.size(), "3 FLOPs rows lack ARC-C, one is excluded");
        assertEquals(3, arc.missingY());
        assertEquals(1, arc.excluded());
    }

    /** The shipped FLOPs column is 6ND in units of 1E21 wherever all three are given, so --fill-6nd uses the same units. */
    @Test
    void sixNDMatchesTheFlopsColumn() {
        ScoreTable t = CsvTableReader.read(SharedData.require(BASE));
        Benchmark given = Benchmark.select(t, FLOPS, "MMLU", null, Set.of());
        Benchmark derived = Benchmark.select(t, new Benchmark.XSpec(Benchmark.SIX_ND, false, "Model Size (B)", "Pretraining Data Size (T)"), "MMLU", null, Set.of());
        assertEquals(given.size(), derived.size());
        for (int i = 0; i < given.size(); i++) {
            assertEquals(given.points().get(i).x(), derived.points().get(i).x(), 1e-9 * given.points().get(i).x(), given.points().get(i).model());
            assertTrue(derived.points().get(i).xDerived());
        }
        Benchmark filled = Benchmark.select(t, new Benchmark.XSpec("FLOPs (1E21)", true, "Model Size (B)", "Pretraining Data Size (T)"), "MMLU", null, Set.of());
        assertEquals(0, filled.derivedCount(), "rows without FLOPs have no token count either");
    }
}
