package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.runtime.Engine;
import dev.strata.train.curriculum.Problem;
import dev.strata.train.export.CurriculumFormat;
import dev.strata.train.solve.AccuracyReport;
import dev.strata.train.solve.CurriculumSelection;
import dev.strata.train.solve.CurriculumSolver;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code strata demo}: the default model solving held-out curriculum problems with Strata's engine. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Solve held-out curriculum problems with a curriculum model (default: the embedded one) and print",
                "exact-match accuracy per family and difficulty, tokens/s and active parameters; then a small research run over",
                "its layer paths (dup and skip blocks of up to 2 layers): variants with intervals, cost per token, keep/discard.",
                "For a full report: strata demo --problems 500 --max-difficulty 7 --markdown"})
public final class DemoCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Option(names = "--problems", paramLabel = "N", description = "held-out problems per family and difficulty (default: ${DEFAULT-VALUE})")
    int problems = 12;

    @Option(names = "--min-difficulty", paramLabel = "D", description = "lowest difficulty (default: the model's lowest trained)")
    Integer minDifficulty;

    @Option(names = "--max-difficulty", paramLabel = "D", description = "highest difficulty (default: one beyond the model's training)")
    Integer maxDifficulty;

    @Option(names = "--families", paramLabel = "LIST", description = "comma-separated families (default: the model's)")
    String families;

    @Option(names = "--seed", paramLabel = "N", description = "which held-out problems to draw (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--markdown", description = "print a markdown table with Wilson 95%% intervals instead of the grid")
    boolean markdown;

    @Option(names = "--examples", paramLabel = "N", description = "show N solved problems (default: ${DEFAULT-VALUE})")
    int examples = 3;

    @Option(names = "--accuracy-only", description = "only the accuracy grid (the demo before research): no research run")
    boolean accuracyOnly;

    @Option(names = "--research-problems", paramLabel = "N", description = "research part: problems per family and difficulty, half held out (default: ${DEFAULT-VALUE})")
    int researchProblems = 6;

    @Option(names = "--out", paramLabel = "DIR", description = "research part: run directory (default: a new temporary directory)")
    java.nio.file.Path out;

    @Override
    public Integer call() {
        String source = model.model != null ? model.model.toString() : "default model";
        long loadStart = System.nanoTime();
        // one engine thread: problems run in parallel, one sequence per worker (model.threads of them)
        try (Engine engine = model.open(1)) {
            var file = engine.model().store().file();
            CurriculumFormat format = file.getArray(CurriculumFormat.PREFIX + "families", String[].class) != null ? CurriculumFormat.read(file)
                    : new CurriculumFormat(List.of(), 0, -1, 0, 0, 0, null); // not a curriculum model: --families and difficulties name the items
            List<Problem> set = CurriculumSelection.resolve(engine.model().store().file(), families, minDifficulty, maxDifficulty, problems, seed).draw();
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;

            long t0 = System.nanoTime();
            CurriculumSolver solver = new CurriculumSolver(engine, model.layers, model.expertsPerToken);
            List<CurriculumSolver.Attempt> attempts = solver.solveAll(set, model.threads);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long promptTokens = attempts.stream().mapToLong(CurriculumSolver.Attempt::promptTokens).sum();
            long generated = attempts.stream().mapToLong(CurriculumSolver.Attempt::generatedTokens).sum();
            long correct = attempts.stream().filter(CurriculumSolver.Attempt::correct).count();

            var m = engine.model();
            String name = engine.model().store().file().getString("general.name", engine.path().getFileName().toString());
            String training = format.families().isEmpty() ? "not a curriculum model"
                    : String.format(Locale.ROOT, "trained on difficulties %d-%d, %,d steps", format.minDifficulty(), format.maxDifficulty(), format.trainSteps());
            System.out.printf(Locale.ROOT, "model: %s (%s), %,d active parameters, %s%n", name,
                    source, m.activeParameterCount(model.expertsPerToken > 0 ? model.expertsPerToken : m.config().expertUsedCount()), training);
            System.out.printf(Locale.ROOT, "held-out test problems: %d per cell, seed %d (* = beyond the trained difficulty)%n%n", problems, seed);
            AccuracyReport report = new AccuracyReport(attempts, format.minDifficulty(), format.maxDifficulty());
            System.out.println(markdown ? report.markdown() : report.grid());
            for (int i = 0; i < Math.min(examples, attempts.size()); i++) {
                var a = attempts.get((int) ((long) i * attempts.size() / Math.max(1, examples)));
                System.out.printf("%s %s%s   [%s]%n", a.correct() ? "ok  " : "FAIL", a.problem().plainPrefix(), a.output().strip(),
                        a.problem().family().id() + " d" + a.problem().difficulty());
            }
            System.out.printf(Locale.ROOT, "%naccuracy: %.1f%% (%d/%d)%n", 100.0 * correct / attempts.size(), correct, attempts.size());
            System.out.printf(Locale.ROOT, "tokens/s: %.0f (%d prompt + %d generated tokens in %.1f s, %d threads); load %.1f s%n",
                    (promptTokens + generated) / seconds, promptTokens, generated, seconds, model.threads, loadSeconds);
            System.err.println(Accounting.line(engine, solver.total(), engine.newSequence(model.layers, model.expertsPerToken, 16).plan().steps().size()));
            if (!accuracyOnly) DemoResearch.run(engine, model.resolveModel(), model.threads, seed, researchProblems, out);
            return 0;
        }
    }
}
