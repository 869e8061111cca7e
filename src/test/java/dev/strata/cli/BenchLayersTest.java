package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.bench.ResidentMemory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata bench --layers A --layers B}: rows per path beside the model's own, and the memory table. */
class BenchLayersTest {
    private static final String F32 = Path.of("..", "shared", "models", "stories260K-F32.gguf").toString();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path temp;
    private static String bandwidthCache;

    @BeforeAll
    static void seedBandwidthCache() throws IOException {
        Path cache = temp.resolve("bandwidth.json");
        Files.writeString(cache, "{\"1\": 1.0E10}");
        bandwidthCache = cache.toString();
    }

    private static String bench(String... args) {
        List<String> all = new ArrayList<>(List.of("bench", "--bandwidth-cache", bandwidthCache, "-t", "1", "--warmup-ms", "0",
                "-m", F32, "-p", "8", "-n", "4", "-r", "2"));
        all.addAll(Arrays.asList(args));
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(all.toArray(String[]::new)));
        } finally {
            System.setOut(oldOut);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<String[]> tableAfter(String out, String headerStart) {
        List<String> lines = out.lines().toList();
        int h = 0;
        while (!lines.get(h).startsWith(headerStart)) h++;
        return lines.stream().skip(h + 2).takeWhile(l -> l.startsWith("|"))
                .map(l -> Arrays.stream(l.substring(1, l.length() - 1).split("\\|")).map(String::trim).toArray(String[]::new)).toList();
    }

    @Test
    void everyPathGetsItsRowsBesideTheModelsOwnWithKvAndResidentMemory() {
        String out = bench("--layers", "dup:1-3", "--layers", "skip:4");
        List<String[]> speed = tableAfter(out, "| model | size | params | backend | threads | layers | test | t/s |");
        assertEquals(List.of("0-4 pp8", "0-4 tg4", "dup:1-3 pp8", "dup:1-3 tg4", "skip:4 pp8", "skip:4 tg4"),
                speed.stream().map(c -> c[5] + " " + c[6]).toList());

        List<String[]> paths = tableAfter(out, "| layers | steps |");
        assertEquals(List.of("0-4", "dup:1-3", "skip:4"), paths.stream().map(c -> c[0]).toList());
        assertEquals(List.of("5", "8", "4"), paths.stream().map(c -> c[1]).toList());
        double kvIdentity = Double.parseDouble(paths.get(0)[8]), kvDup = Double.parseDouble(paths.get(1)[8]);
        assertEquals(8.0 / 5, kvDup / kvIdentity, 1e-9, "KV grows by k/n");
        assertTrue(Double.parseDouble(paths.get(1)[5]) > 1.3, "dup reads more weight bytes per token: " + paths.get(1)[5]);
        assertTrue(Double.parseDouble(paths.get(2)[5]) < 1, "skip reads fewer: " + paths.get(2)[5]);
        if (ResidentMemory.available()) assertEquals(paths.get(0)[10], paths.get(1)[10], "resident weights must not grow");
    }

    @Test
    void anExplicitIdentityPathIsTheReferenceAndJsonRowsNameTheirPath() throws IOException {
        JsonNode results = JSON.readTree(bench("--layers", "0-4", "--layers", "dup:2", "-o", "json")).get("results");
        assertEquals(4, results.size());
        List<String> layers = new ArrayList<>();
        for (JsonNode r : results) layers.add(r.get("layers").asText() + " " + r.get("test").asText());
        assertEquals(List.of("0-4 pp8", "0-4 tg4", "dup:2 pp8", "dup:2 tg4"), layers);
        double ratio = results.get(3).get("weight_bytes_per_token").asDouble() / results.get(1).get("weight_bytes_per_token").asDouble();
        assertTrue(ratio > 1 && ratio < 6.0 / 5, "one more layer of five, plus the output head: " + ratio);
    }
}
