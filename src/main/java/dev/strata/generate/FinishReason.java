package dev.strata.generate;

/** Why generation ended, named as in the OpenAI API. */
public enum FinishReason {
    /** End-of-generation token or a stop string. */
    STOP,
    /** The token limit or the context size was reached. */
    LENGTH,
    /** The caller cancelled (client disconnect, Ctrl-C). */
    CANCELLED;

    public String apiName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
