package dev.strata.sample;

/**
 * A per-sequence adjustment of the logits before the sampler's chain: biases, grammar masks. The sampler
 * calls {@link #apply} on its working copy (the model's logits are left untouched) and the decode loop
 * calls {@link #accept} with each generated token so stateful processors can advance.
 */
public interface LogitProcessor {
    /** Adjusts the first vocabSize logits in place; a token set to negative infinity can not be drawn. */
    void apply(float[] logits, int vocabSize);

    /** A generated token is now part of the output. */
    void accept(int token);

    /** Applies several processors in order. */
    static LogitProcessor chain(java.util.List<LogitProcessor> processors) {
        java.util.List<LogitProcessor> list = processors.stream().filter(java.util.Objects::nonNull).toList();
        if (list.isEmpty()) return null;
        if (list.size() == 1) return list.get(0);
        return new LogitProcessor() {
            @Override
            public void apply(float[] logits, int vocabSize) {
                for (LogitProcessor p : list) p.apply(logits, vocabSize);
            }

            @Override
            public void accept(int token) {
                for (LogitProcessor p : list) p.accept(token);
            }
        };
    }
}
