package dev.strata.weights;

import dev.strata.StrataException;

/** The mapped model file changed or shrank under a running process: the weights can no longer be trusted or even read. */
public final class ModelFileChangedException extends StrataException {
    public ModelFileChangedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A fault reading mapped weights (the JVM's InternalError for a truncated mapping) as a clean error. */
    public static ModelFileChangedException fromFault(Model model, InternalError fault) {
        return new ModelFileChangedException("the model file " + model.store().file().name() + " was changed or truncated while mapped"
                + " (a fault reading its memory); restart with the intact file, or run with --no-mmap", fault);
    }

    /** Whether an InternalError is the JVM's report of a fault in a memory access (SIGBUS on a mapped file). */
    public static boolean isMappedFault(InternalError e) {
        return e.getMessage() != null && e.getMessage().contains("unsafe memory access");
    }
}
