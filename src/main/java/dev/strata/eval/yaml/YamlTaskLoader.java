package dev.strata.eval.yaml;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.strata.StrataException;
import dev.strata.eval.EvalTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Reads an lm-evaluation-harness task YAML (the subset described in docs/tasks.md) into an {@link EvalTask}. */
public final class YamlTaskLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private YamlTaskLoader() {}

    @SuppressWarnings("unchecked")
    public static EvalTask load(Path yaml) {
        if (!Files.isRegularFile(yaml)) throw new StrataException(yaml + ": no such task file");
        Object root;
        try {
            root = YAML.readValue(yaml.toFile(), Object.class);
        } catch (IOException e) {
            throw new StrataException(yaml + ": not valid YAML: " + firstLine(e.getMessage()));
        }
        if (!(root instanceof Map<?, ?> map)) throw new StrataException(yaml + ": a task file must be a YAML mapping");
        try {
            Map<String, Object> y = (Map<String, Object>) map;
            TaskSpec spec = TaskSpec.parse(y);
            TaskData data = TaskData.load(y, yaml.toAbsolutePath().getParent());
            YamlTask task = new YamlTask(spec, data);
            task.prompt(task.items().getFirst()); // template errors surface now, not mid-run
            task.target(task.items().getFirst());
            return task;
        } catch (StrataException e) {
            throw new StrataException(yaml.getFileName() + ": " + e.getMessage(), e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
