package dev.strata.api;

/**
 * How to load a model: worker threads (0 = all cores), kernel set ({@code auto}, {@code native},
 * {@code panama}, {@code scalar}) and context size per call (0 = the model's, at most 4096).
 */
public record LoadOptions(int threads, String kernels, int contextSize) {

    public LoadOptions {
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        if (contextSize < 0) throw new IllegalArgumentException("contextSize must be >= 0, got " + contextSize);
        if (kernels == null) kernels = "auto";
    }

    public static LoadOptions defaults() {
        return new LoadOptions(0, "auto", 0);
    }

    public LoadOptions threads(int value) {
        return new LoadOptions(value, kernels, contextSize);
    }

    public LoadOptions kernels(String value) {
        return new LoadOptions(threads, value, contextSize);
    }

    public LoadOptions contextSize(int value) {
        return new LoadOptions(threads, kernels, value);
    }

    int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
