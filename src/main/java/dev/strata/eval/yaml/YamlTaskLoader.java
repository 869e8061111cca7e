package dev.strata.eval.yaml;

import dev.strata.StrataException;
import dev.strata.eval.EvalTask;
import java.nio.file.Path;

/** Placeholder until the YAML task loader is merged; it has the same signature. */
public final class YamlTaskLoader {
    private YamlTaskLoader() {}

    public static EvalTask load(Path yaml) {
        throw new StrataException("YAML tasks are not available in this build");
    }
}
