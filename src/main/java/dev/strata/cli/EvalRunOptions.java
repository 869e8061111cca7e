package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.eval.EvalTask;
import dev.strata.eval.yaml.YamlTaskLoader;
import dev.strata.model.DefaultModel;
import dev.strata.runtime.Engine;
import dev.strata.train.solve.CurriculumSelection;
import dev.strata.train.solve.CurriculumTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** The options eval and research share: the model, the task, the run directory and how items are scored. */
public final class EvalRunOptions {
    @Option(names = {"-m", "--model"}, paramLabel = "FILE", description = "GGUF model file (default: $STRATA_MODEL, else the embedded default model)")
    Path model;

    @Option(names = "--task", paramLabel = "TASK", description = "curriculum, curriculum:FAMILIES (comma-separated) or a task YAML file (default: ${DEFAULT-VALUE})")
    String task = "curriculum";

    @Option(names = "--problems", paramLabel = "N", description = "curriculum: held-out problems per family and difficulty (research splits them into search and held-out; default: ${DEFAULT-VALUE})")
    int problems;

    @Option(names = "--min-difficulty", paramLabel = "D", description = "curriculum: lowest difficulty (default: the model's lowest trained)")
    Integer minDifficulty;

    @Option(names = "--max-difficulty", paramLabel = "D", description = "curriculum: highest difficulty (default: one beyond the model's training)")
    Integer maxDifficulty;

    @Option(names = "--seed", paramLabel = "N", description = "draws the items (and research's split) and seeds the bootstrap (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "worker threads, one sequence each (default: all cores)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--kernels", paramLabel = "NAME", description = "kernel set for variants that name none: auto, native, panama or scalar (default: ${DEFAULT-VALUE})")
    String kernels = "auto";

    @Option(names = "--watts", paramLabel = "W", description = "per-core power for the energy estimate when RAPL counters are unreadable (default: ${DEFAULT-VALUE})")
    double watts = 10;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "run directory: the ledger (ledger.jsonl), the plots and research's results.tsv, plans.json and report")
    Path out;

    @Option(names = "--resume", description = "continue the run in --out after an interruption: only the (variant, item) pairs its ledger lacks are scored, no decision changes")
    boolean resume;

    @Option(names = "--no-progress", description = "no progress bar")
    boolean noProgress;

    @Option(names = "--verbose", description = "show stack traces on errors")
    boolean verbose;

    /** {@code problems}: the command's default curriculum problems per cell. */
    EvalRunOptions(int problems) {
        this.problems = problems;
    }

    /** --model, else $STRATA_MODEL or the default model; it must exist. */
    Path modelFile() {
        Path file = model != null ? model : DefaultModel.resolve();
        if (!Files.isRegularFile(file)) throw new StrataException(file + ": no such file");
        return file;
    }

    Function<Engine, EvalTask> taskFactory() {
        return taskFactory(task, minDifficulty, maxDifficulty, problems, seed);
    }

    /** The task named by --task and the curriculum options; research members build their task the same way. */
    static Function<Engine, EvalTask> taskFactory(String task, Integer minDifficulty, Integer maxDifficulty, int problems, long seed) {
        if (task.equals("curriculum") || task.startsWith("curriculum:")) {
            String families = task.equals("curriculum") ? null : task.substring("curriculum:".length());
            return engine -> new CurriculumTask(CurriculumSelection.resolve(engine.model().store().file(), families, minDifficulty,
                    maxDifficulty, problems, seed));
        }
        Path yaml = Path.of(task);
        if (!Files.isRegularFile(yaml)) throw new StrataException("--task must be curriculum, curriculum:FAMILIES or a task YAML file; " + task + ": no such file");
        return engine -> YamlTaskLoader.load(yaml);
    }
}
