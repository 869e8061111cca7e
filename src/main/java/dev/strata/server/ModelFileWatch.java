package dev.strata.server;

import dev.strata.model.ModelFileIdentity;
import io.javalin.http.Context;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Before each generation, checks that the mapped model file is still the one loaded. Touching a mapping whose
 * file was overwritten or truncated kills native kernels with SIGBUS, so a changed file gets 503 instead, and
 * the log says how to recover, once.
 */
final class ModelFileWatch {
    private final Path path;
    private final ModelFileIdentity loaded;
    private final PrintStream log;
    private final AtomicBoolean reported = new AtomicBoolean();

    ModelFileWatch(Path path, PrintStream log) {
        this.path = path;
        this.loaded = ModelFileIdentity.of(path);
        this.log = log;
    }

    void check(Context ctx) {
        ModelFileIdentity now = ModelFileIdentity.of(path);
        if (loaded == null || loaded.equals(now)) return;
        if (reported.compareAndSet(false, true)) {
            log.println("strata serve: the model file " + path + " changed on disk (" + loaded.describe() + " -> "
                    + (now == null ? "gone" : now.describe()) + "); generation is refused with 503 until the server is restarted:"
                    + " stop it and run strata serve again (or serve with --no-mmap to keep a private copy in memory)");
        }
        throw new ApiException(503, "server_error", "The model file " + path.getFileName() + " changed on disk after it was loaded;"
                + " the server must be restarted to serve it", null, "model_file_changed");
    }
}
