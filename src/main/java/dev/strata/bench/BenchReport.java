package dev.strata.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Renders bench results as llama-bench does (markdown table, json, csv), plus Strata's
 * accounting: weight MB and GFLOP per token, and for decode the share of the bandwidth limit.
 */
public record BenchReport(List<BenchResult> results, double bandwidthBytesPerSecond, int bandwidthThreads) {
    public static final String STRATA = "strata";
    public static final String LLAMA_CPP = "llama.cpp";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CSV_COLUMNS = List.of("model", "size_bytes", "params", "backend", "kernels", "threads",
            "test", "n_tokens", "avg_ts", "stddev_ts", "samples_ts", "weight_mb_per_token", "gflop_per_token",
            "bandwidth_fraction", "ratio_vs_llamacpp", "layers");

    public String render(String format) {
        return switch (format) {
            case "md" -> markdown();
            case "json" -> json();
            case "csv" -> csv();
            default -> throw new IllegalArgumentException("unknown output format '" + format + "' (valid: md, json, csv)");
        };
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder();
        boolean paths = results.stream().anyMatch(r -> r.layers() != null);
        sb.append("| model | size | params | backend | threads |").append(paths ? " layers |" : "").append(" test | t/s |\n");
        sb.append("| ----- | ---: | -----: | ------- | ------: |").append(paths ? " ------ |" : "").append(" ---: | --: |\n");
        for (BenchResult r : results) {
            List<String> cells = new ArrayList<>(List.of(r.model(), ModelDescription.formatSize(r.sizeBytes()),
                    ModelDescription.formatParams(r.params()), backendLabel(r), Integer.toString(r.threads())));
            if (paths) cells.add(r.layers() == null ? "model" : r.layers());
            cells.addAll(List.of(r.test(), fmt("%.2f ± %.2f", r.mean(), r.sd())));
            sb.append(row(cells.toArray(String[]::new)));
        }
        sb.append(String.format(Locale.ROOT, "%nread bandwidth: %.2f GB/s (streaming probe, %d threads)%n%n",
                bandwidthBytesPerSecond / 1e9, bandwidthThreads));
        sb.append("| model | backend | test | weights MB/token | GFLOP/token | weights GB/s | of bandwidth limit |\n");
        sb.append("| ----- | ------- | ---: | ---------------: | ----------: | -----------: | -----------------: |\n");
        for (BenchResult r : results) {
            sb.append(row(r.model(), backendLabel(r) + (r.layers() == null ? "" : " " + r.layers()), r.test(), orDash(r.weightBytesPerToken(), v -> fmt("%.3f", v / 1e6)),
                    orDash(r.gflopPerToken(), v -> fmt("%.4f", v)),
                    orDash(r.weightBytesPerToken(), v -> fmt("%.2f", v * r.mean() / 1e9)),
                    orDash(r.bandwidthFraction(), v -> fmt("%.1f %%", 100 * v))));
        }
        if (results.stream().anyMatch(r -> r.memory() != null)) sb.append(MemoryTable.markdown(results));
        List<String> ratios = new ArrayList<>();
        for (BenchResult r : results) {
            ratioVsLlamaCpp(r).ifPresent(ratio -> ratios.add(row(r.model(), r.test(), fmt("%.2f", r.mean()),
                    fmt("%.2f", r.mean() / ratio), fmt("%.2f", ratio))));
        }
        if (!ratios.isEmpty()) {
            sb.append("\n| model | test | strata t/s | llama.cpp t/s | strata/llama.cpp |\n");
            sb.append("| ----- | ---: | ---------: | ------------: | ---------------: |\n");
            ratios.forEach(sb::append);
        }
        return sb.toString();
    }

    public String json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("read_bandwidth_bytes_per_second", bandwidthBytesPerSecond).put("read_bandwidth_threads", bandwidthThreads);
        ArrayNode rows = root.putArray("results");
        for (BenchResult r : results) {
            ObjectNode o = rows.addObject().put("model", r.model()).put("size_bytes", r.sizeBytes()).put("params", r.params())
                    .put("backend", r.backend()).put("kernels", r.kernels()).put("threads", r.threads()).put("test", r.test())
                    .put("n_tokens", r.tokens()).put("avg_ts", r.mean()).put("stddev_ts", r.sd());
            ArrayNode samples = o.putArray("samples_ts");
            for (double v : r.tokensPerSecond()) samples.add(v);
            putIfKnown(o, "weight_bytes_per_token", r.weightBytesPerToken());
            putIfKnown(o, "gflop_per_token", r.gflopPerToken());
            putIfKnown(o, "bandwidth_fraction", r.bandwidthFraction());
            ratioVsLlamaCpp(r).ifPresent(v -> o.put("ratio_vs_llamacpp", v));
            if (r.layers() != null) o.put("layers", r.layers());
            if (r.memory() != null) o.set("memory", JSON.valueToTree(r.memory()));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public String csv() {
        StringBuilder sb = new StringBuilder(String.join(",", CSV_COLUMNS)).append('\n');
        for (BenchResult r : results) {
            List<String> cells = List.of(csvCell(r.model()), Long.toString(r.sizeBytes()), Long.toString(r.params()), r.backend(),
                    r.kernels(), Integer.toString(r.threads()), r.test(), Integer.toString(r.tokens()), fmt("%.4f", r.mean()),
                    fmt("%.4f", r.sd()), Arrays.stream(r.tokensPerSecond()).mapToObj(v -> fmt("%.4f", v)).collect(Collectors.joining(";")),
                    orEmpty(r.weightBytesPerToken(), v -> fmt("%.6f", v / 1e6)), orEmpty(r.gflopPerToken(), v -> fmt("%.6f", v)),
                    orEmpty(r.bandwidthFraction(), v -> fmt("%.6f", v)), ratioVsLlamaCpp(r).map(v -> fmt("%.4f", v)).orElse(""),
                    r.layers() == null ? "" : csvCell(r.layers()));
            sb.append(String.join(",", cells)).append('\n');
        }
        return sb.toString();
    }

    /** For a Strata row: its mean t/s over llama.cpp's on the same model and test, when both ran. */
    public Optional<Double> ratioVsLlamaCpp(BenchResult r) {
        if (!STRATA.equals(r.backend()) || (r.layers() != null && !isFirstStrataRow(r))) return Optional.empty();
        return results.stream()
                .filter(o -> LLAMA_CPP.equals(o.backend()) && o.model().equals(r.model()) && o.test().equals(r.test()))
                .findFirst().map(o -> r.mean() / o.mean());
    }

    /** With layer paths, only the model's own path (measured first) compares with llama.cpp. */
    private boolean isFirstStrataRow(BenchResult r) {
        return results.stream().filter(o -> STRATA.equals(o.backend()) && o.model().equals(r.model()) && o.test().equals(r.test()))
                .findFirst().orElse(null) == r;
    }

    private static String backendLabel(BenchResult r) {
        return r.backend() + " " + r.kernels();
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    private static String fmt(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    private static String orDash(Double v, java.util.function.DoubleFunction<String> format) {
        return v == null ? "-" : format.apply(v);
    }

    private static String orEmpty(Double v, java.util.function.DoubleFunction<String> format) {
        return v == null ? "" : format.apply(v);
    }

    private static void putIfKnown(ObjectNode o, String field, Double v) {
        if (v != null) o.put(field, v);
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
