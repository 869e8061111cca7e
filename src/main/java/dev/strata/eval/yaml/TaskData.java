package dev.strata.eval.yaml;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.StrataException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The docs of a task from local JSONL files (one JSON object per line). The convention:
 * <ul>
 * <li>{@code dataset_path: data.jsonl} (relative to the YAML file, or absolute): that one file is every split;</li>
 * <li>{@code dataset_kwargs: {data_files: {test: a.jsonl, train: b.jsonl}}}: one file (or list of files) per split,
 * relative to {@code dataset_path} when that is a folder, else to the YAML file; a single file or list
 * without split names is the split "train", as in HF {@code datasets}.</li>
 * </ul>
 * The scored docs come from {@code test_split} (default "test"), else {@code validation_split}; few-shot
 * examples from {@code fewshot_split}, else {@code training_split}, else {@code validation_split}, else the
 * scored split itself, in which case the scored doc is never its own example.
 */
record TaskData(List<Map<String, Object>> docs, List<Map<String, Object>> fewshotDocs, boolean fewshotIsEvalSplit, String source) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static TaskData load(Map<String, Object> y, Path yamlDir) {
        Map<String, List<Path>> splits = splitFiles(y, yamlDir);
        String eval = y.containsKey("test_split") ? YamlValues.string(y.get("test_split"), "test_split")
                : y.containsKey("validation_split") ? YamlValues.string(y.get("validation_split"), "validation_split") : "test";
        String fewshot = null;
        for (String k : List.of("fewshot_split", "training_split", "validation_split")) {
            if (y.containsKey(k)) {
                fewshot = YamlValues.string(y.get(k), k);
                break;
            }
        }
        if (fewshot == null) fewshot = eval;
        List<Path> evalFiles = files(splits, eval), fewshotFiles = files(splits, fewshot);
        List<Map<String, Object>> docs = read(evalFiles);
        if (docs.isEmpty()) throw new StrataException(evalFiles + ": no docs");
        boolean same = evalFiles.equals(fewshotFiles);
        return new TaskData(docs, same ? docs : read(fewshotFiles), same, evalFiles.getFirst().toString());
    }

    private static Map<String, List<Path>> splitFiles(Map<String, Object> y, Path yamlDir) {
        Path base = yamlDir;
        Object dp = y.get("dataset_path");
        Map<String, Object> kwargs = y.containsKey("dataset_kwargs") ? YamlValues.map(y.get("dataset_kwargs"), "dataset_kwargs") : Map.of();
        for (String k : kwargs.keySet()) {
            if (k.equals("trust_remote_code")) continue;
            if (!k.equals("data_files")) throw new StrataException("unknown key '" + k + "' in dataset_kwargs (supported: data_files)");
        }
        if (dp != null) {
            Path p = yamlDir.resolve(YamlValues.string(dp, "dataset_path")).normalize();
            if (Files.isDirectory(p)) base = p;
            else if (!kwargs.containsKey("data_files")) {
                if (!Files.isRegularFile(p)) throw new StrataException("dataset_path " + p + ": no such file (give a local JSONL file)");
                return Map.of("*", List.of(p));
            }
        }
        Object df = kwargs.get("data_files");
        if (df == null) throw new StrataException("the task file needs 'dataset_path' (a local JSONL file) or 'dataset_kwargs: {data_files: ...}'");
        Map<String, List<Path>> out = new LinkedHashMap<>();
        if (df instanceof Map<?, ?> m) {
            for (var e : m.entrySet()) out.put(String.valueOf(e.getKey()), paths(e.getValue(), base));
        } else {
            out.put("train", paths(df, base));
        }
        return out;
    }

    private static List<Path> paths(Object v, Path base) {
        List<Path> out = new ArrayList<>();
        for (Object o : YamlValues.list(v, "data_files")) out.add(base.resolve(String.valueOf(o)).normalize());
        return out;
    }

    private static List<Path> files(Map<String, List<Path>> splits, String split) {
        if (splits.containsKey("*")) return splits.get("*");
        List<Path> f = splits.get(split);
        if (f == null) throw new StrataException("no data file for split '" + split + "' (data_files has: " + String.join(", ", splits.keySet()) + ")");
        return f;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> read(List<Path> files) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) throw new StrataException(f + ": no such file");
            try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                int lineNo = 0;
                for (String line; (line = r.readLine()) != null; ) {
                    lineNo++;
                    if (line.isBlank()) continue;
                    Object doc;
                    try {
                        doc = JSON.readValue(line, Object.class);
                    } catch (IOException e) {
                        throw new StrataException(f + ":" + lineNo + ": not valid JSON");
                    }
                    if (!(doc instanceof Map<?, ?>)) throw new StrataException(f + ":" + lineNo + ": each line must be a JSON object");
                    docs.add((Map<String, Object>) doc);
                }
            } catch (IOException e) {
                throw new StrataException("cannot read " + f + ": " + e.getMessage(), e);
            }
        }
        return docs;
    }
}
