package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.eval.Variant;
import dev.strata.research.DecisionRule;
import dev.strata.research.EngineTrials;
import dev.strata.research.ResearchLoop;
import dev.strata.research.ResearchReport;
import dev.strata.research.SearchSpace;
import dev.strata.runtime.Engine;
import dev.strata.train.solve.CurriculumSelection;
import dev.strata.train.solve.CurriculumTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The research half of {@code demo}: the same loop as {@code strata research --space dup,skip
 * --max-block 2 --search-items 8 --eta 3 --finalists 2}, small enough for a couple of minutes on
 * two cores, printed as a table and saved with its plots.
 */
final class DemoResearch {
    private DemoResearch() {}

    static void run(Engine engine, Path modelFile, int threads, long seed, int problems, Path out) {
        Path dir = out != null ? out : temporaryDirectory();
        var task = new CurriculumTask(CurriculumSelection.resolve(engine.model().store().file(), null, null, null, problems, seed));
        var trials = new EngineTrials(engine, task, modelFile, threads, seed, 10, true);
        int[] shape = trials.shape();
        var candidates = SearchSpace.parse("dup,skip", 2, 3).candidates(shape[0], shape[1], shape[2]);
        var settings = new ResearchLoop.Settings(Variant.BASE, candidates, 0.5, seed, 8, 3, 2, 0,
                new DecisionRule(DecisionRule.Correction.HOLM, 0.05, seed), null, dir, false, ResearchLoop.commit());
        System.out.printf(Locale.ROOT, "%nresearch: %d layer-path variants (dup and skip blocks of up to 2 layers) against the full model, %s%n",
                candidates.size(), task.name());
        System.out.println("a sweep on 8 search items, successive halving, then 2 finalists once on the sealed held-out split (exact McNemar, Holm)");
        long t0 = System.nanoTime();
        ResearchLoop.Result r = new ResearchLoop(trials, settings).run();
        var report = ResearchReport.write(r, dir);
        System.out.println();
        System.out.print(report.markdown());
        System.out.printf(Locale.ROOT, "%nkept %d of %d variants in %.0f s; results.tsv, plans.json, %s and the plots %s.png are in %s%n", r.kept().size(),
                candidates.size(), (System.nanoTime() - t0) / 1e9, ResearchReport.FILE, String.join(".png, ", report.plots()), dir);
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("strata-demo-");
        } catch (IOException e) {
            throw new StrataException("cannot create a run directory: " + e.getMessage(), e);
        }
    }
}
