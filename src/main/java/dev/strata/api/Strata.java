package dev.strata.api;

import dev.strata.runtime.Engine;
import dev.strata.model.DefaultModel;
import java.nio.file.Path;

/**
 * The library entry point: {@code try (StrataModel m = Strata.load(Path.of("model.gguf"))) { m.generate("Hi") }}.
 * Needs the JVM flags {@code --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED}.
 */
public final class Strata {
    private Strata() {}

    public static StrataModel load(Path gguf) {
        return load(gguf, LoadOptions.defaults());
    }

    public static StrataModel load(Path gguf, LoadOptions options) {
        return new StrataModel(Engine.open(gguf, options.effectiveThreads(), options.kernels()), options.contextSize());
    }

    /** The model named by STRATA_MODEL, else the default model embedded in Strata's jar. */
    public static StrataModel loadDefault() {
        return load(DefaultModel.resolve(), LoadOptions.defaults());
    }
}
