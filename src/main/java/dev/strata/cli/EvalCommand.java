package dev.strata.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.strata.StrataException;
import dev.strata.eval.EvalSession;
import dev.strata.eval.EvalTask;
import dev.strata.eval.Variant;
import dev.strata.eval.report.MarkdownReport;
import dev.strata.eval.yaml.YamlTaskLoader;
import dev.strata.runtime.Engine;
import dev.strata.model.DefaultModel;
import dev.strata.train.solve.CurriculumSelection;
import dev.strata.train.solve.CurriculumTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Score variants of a model on the same items: accuracy with Wilson 95%% intervals, paired comparisons with the",
                "first variant (exact McNemar, Holm, paired bootstrap) and the cost per token, from an append-only ledger in --out.",
                "Example: strata eval --task curriculum --variants \"base;dup:1-2;skip:3\" --out runs/eval1",
                "Variants: ';'-separated, each '+'-joined terms: base, a layer path (dup:3-5, skip:2, 0-3,2-3), experts=K, kernels=NAME,",
                "quant:LAYERS=TYPE (weights requantized in memory: quant:2=Q4_0, quant:0-1=Q8_0, quant:*=Q4_K)."})
public final class EvalCommand implements Callable<Integer> {
    enum OutputFormat { md, json }

    @Option(names = {"-m", "--model"}, paramLabel = "FILE", description = "GGUF model file (default: $STRATA_MODEL, else the embedded default model)")
    Path model;

    @Option(names = "--task", paramLabel = "TASK", description = "curriculum, curriculum:FAMILIES (comma-separated) or a task YAML file (default: ${DEFAULT-VALUE})")
    String task = "curriculum";

    @Option(names = "--variants", paramLabel = "LIST", description = "variants to compare, e.g. \"base;dup:3-5;skip:2;experts=1;dup:1-2+experts=1\" (default: base)")
    String variants;

    @Option(names = "--layers", paramLabel = "SPEC", description = "a single variant's layer path (the same as --variants SPEC)")
    String layers;

    @Option(names = "--experts-per-token", paramLabel = "K", description = "a single variant's experts per token (the same as --variants experts=K)")
    int expertsPerToken;

    @Option(names = "--plan", paramLabel = "FILE#NAME", description = "a single variant from a plan kept by strata research (plans.json#NAME)")
    String plan;

    @Option(names = "--problems", paramLabel = "N", description = "curriculum: held-out problems per family and difficulty (default: ${DEFAULT-VALUE})")
    int problems = 12;

    @Option(names = "--min-difficulty", paramLabel = "D", description = "curriculum: lowest difficulty (default: the model's lowest trained)")
    Integer minDifficulty;

    @Option(names = "--max-difficulty", paramLabel = "D", description = "curriculum: highest difficulty (default: one beyond the model's training)")
    Integer maxDifficulty;

    @Option(names = "--seed", paramLabel = "N", description = "draws the items and seeds the bootstrap (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "worker threads, one sequence each (default: all cores)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--kernels", paramLabel = "NAME", description = "kernel set for variants that name none: auto, native, panama or scalar (default: ${DEFAULT-VALUE})")
    String kernels = "auto";

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "run directory: the ledger (ledger.jsonl) and the plots go here")
    Path out;

    @Option(names = "--resume", description = "continue the run in --out, scoring only the (variant, item) pairs its ledger lacks")
    boolean resume;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "report format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    OutputFormat output = OutputFormat.md;

    @Option(names = "--watts", paramLabel = "W", description = "per-core power for the energy estimate when RAPL counters are unreadable (default: ${DEFAULT-VALUE})")
    double watts = 10;

    @Option(names = "--limit", paramLabel = "N", description = "score only the first N items (default: all)")
    int limit;

    @Option(names = "--no-progress", description = "no progress bar")
    boolean noProgress;

    @Mixin StreamingFlags streaming = new StreamingFlags();

    @Option(names = "--verbose", description = "show stack traces on errors")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        List<Variant> chosen = variants();
        Path file = model != null ? model : DefaultModel.resolve();
        if (!Files.isRegularFile(file)) throw new StrataException(file + ": no such file");
        var settings = new EvalSession.Settings(file, chosen, kernels, threads, seed, limit, watts, out, resume, streaming.options(), !noProgress);
        EvalSession.Result r = EvalSession.run(settings, taskFactory());
        if (output == OutputFormat.json) {
            ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(SerializationFeature.INDENT_OUTPUT);
            System.out.println(json.writeValueAsString(r.summary()));
        } else {
            System.out.print(MarkdownReport.render(r.summary()));
            System.out.printf(Locale.ROOT, "%nscored %d (variant, item) pairs in %.1f s: %.2f items/s with %d threads; ledger and plots (%s) in %s%n",
                    r.scored(), r.seconds(), r.scored() / Math.max(1e-9, r.seconds()), threads, String.join(", ", r.plots()), out);
        }
        return 0;
    }

    private List<Variant> variants() {
        if (plan != null) {
            if (variants != null || layers != null || expertsPerToken != 0) throw new StrataException("give --plan alone, or --variants/--layers, not both");
            var p = dev.strata.research.Plans.resolve(plan);
            return List.of(new Variant(p.layers(), p.expertsPerToken(), null, null, p.quant()));
        }
        if (variants != null && (layers != null || expertsPerToken != 0))
            throw new StrataException("give --layers and --experts-per-token inside --variants (e.g. \"base;dup:1-2+experts=1\"), not beside it");
        if (variants != null) return Variant.parseList(variants);
        return List.of(new Variant(layers, expertsPerToken, null, null));
    }

    private Function<Engine, EvalTask> taskFactory() {
        return taskFactory(task, minDifficulty, maxDifficulty, problems, seed);
    }

    /** The task named by --task and the curriculum options; research builds its task the same way. */
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
