package dev.strata.frontier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.StrataException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns Strata eval ledgers (every *.jsonl under a directory, one JSON object per (variant, item))
 * into one row per variant. The schema it relies on, documented in docs/frontier.md:
 * <ul>
 * <li>{@code variant} (string, required) and {@code correct} (boolean or 0/1, required);</li>
 * <li>{@code item} (string, optional): a (variant, item) seen again, as after a resumed run, counts once;</li>
 * <li>{@code family} (string, optional): the variant's group in plots and residual tables;</li>
 * <li>every other numeric field (multiplyAdds, trainingFlops, promptTokens, ...) becomes the per-variant mean.</li>
 * </ul>
 * Derived columns: {@code accuracy} (mean of correct), {@code n} (items), and
 * {@code multiplyAddsPerToken} = sum multiplyAdds / sum (promptTokens + generatedTokens) when every
 * line of the variant carries all three.
 */
public final class LedgerReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LedgerReader() {}

    private static final class Variant {
        String family;
        int n, correct;
        final Map<String, double[]> sums = new LinkedHashMap<>();
        double madds, tokens;
        boolean perTokenComplete = true;
    }

    public static ScoreTable read(Path dir) {
        if (!Files.isDirectory(dir)) throw new StrataException("ledger directory not found: " + dir);
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.toString().endsWith(".jsonl") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new StrataException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) throw new StrataException("no *.jsonl ledger under " + dir);
        Map<String, Variant> variants = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        LinkedHashSet<String> numericFields = new LinkedHashSet<>();
        for (Path f : files) {
            try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                String line;
                int lineNo = 0;
                while ((line = in.readLine()) != null) {
                    lineNo++;
                    if (line.isBlank()) continue;
                    accept(parse(line, f, lineNo), f + ":" + lineNo, variants, seen, numericFields);
                }
            } catch (IOException e) {
                throw new StrataException("cannot read " + f + ": " + e.getMessage(), e);
            }
        }
        return table(variants, numericFields);
    }

    private static JsonNode parse(String line, Path f, int lineNo) {
        try {
            JsonNode n = JSON.readTree(line);
            if (n == null || !n.isObject()) throw new StrataException(f + ":" + lineNo + ": not a JSON object");
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new StrataException(f + ":" + lineNo + ": bad JSON (" + e.getOriginalMessage() + ")");
        }
    }

    private static void accept(JsonNode o, String where, Map<String, Variant> variants, Set<String> seen, Set<String> numericFields) {
        JsonNode name = o.get("variant"), correct = o.get("correct");
        if (name == null || !name.isTextual()) throw new StrataException(where + ": no string field 'variant'");
        if (correct == null || !(correct.isBoolean() || correct.isNumber() && (correct.asDouble() == 0 || correct.asDouble() == 1))) {
            throw new StrataException(where + ": 'correct' must be true/false or 0/1");
        }
        if (o.hasNonNull("item") && !seen.add(name.asText() + "\u0000" + o.get("item").asText())) return;
        Variant v = variants.computeIfAbsent(name.asText(), k -> new Variant());
        if (o.hasNonNull("family")) {
            String fam = o.get("family").asText();
            if (v.family != null && !v.family.equals(fam)) throw new StrataException(where + ": variant '" + name.asText() + "' has two families");
            v.family = fam;
        }
        v.n++;
        if (correct.isBoolean() ? correct.asBoolean() : correct.asDouble() == 1) v.correct++;
        o.properties().forEach(e -> {
            if (!e.getValue().isNumber() || e.getKey().equals("correct")) return;
            numericFields.add(e.getKey());
            double[] s = v.sums.computeIfAbsent(e.getKey(), k -> new double[2]);
            s[0] += e.getValue().asDouble();
            s[1]++;
        });
        JsonNode madds = o.get("multiplyAdds"), pt = o.get("promptTokens"), gt = o.get("generatedTokens");
        if (madds != null && madds.isNumber() && pt != null && pt.isNumber() && gt != null && gt.isNumber()) {
            v.madds += madds.asDouble();
            v.tokens += pt.asDouble() + gt.asDouble();
        } else {
            v.perTokenComplete = false;
        }
    }

    private static ScoreTable table(Map<String, Variant> variants, Set<String> numericFields) {
        List<String> columns = new ArrayList<>(List.of("variant", "family", "n", "accuracy"));
        columns.addAll(numericFields);
        columns.add("multiplyAddsPerToken");
        List<ScoreTable.Row> rows = new ArrayList<>();
        variants.forEach((name, v) -> {
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("variant", name);
            cells.put("family", v.family == null ? name : v.family);
            cells.put("n", Integer.toString(v.n));
            cells.put("accuracy", Double.toString((double) v.correct / v.n));
            for (String f : numericFields) {
                double[] s = v.sums.get(f);
                cells.put(f, s == null ? "" : Double.toString(s[0] / s[1]));
            }
            cells.put("multiplyAddsPerToken", v.perTokenComplete && v.tokens > 0 ? Double.toString(v.madds / v.tokens) : "");
            rows.add(new ScoreTable.Row(name, cells));
        });
        return new ScoreTable("variant", columns, rows);
    }
}
