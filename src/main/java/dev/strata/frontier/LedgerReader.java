package dev.strata.frontier;

import dev.strata.eval.ledger.Ledger;
import dev.strata.eval.ledger.LedgerEntry;
import dev.strata.eval.ledger.LedgerHeader;
import dev.strata.eval.report.Summary;
import dev.strata.eval.report.VariantSummary;
import dev.strata.eval.RunEnvironment;
import dev.strata.gguf.GgufFile;
import dev.strata.research.ResearchLoop;
import dev.strata.train.export.CurriculumFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Turns the run directories of {@code strata eval} and {@code strata research} into one row per
 * (run, variant). Each ledger is read by the eval code and summarised by {@link Summary}, the same
 * computation as eval's own table: a resumed run's repeated (variant, item) lines count once, a torn
 * last line is ignored and any other bad line is an error naming the file and line. A research run's
 * points are its variants on the sealed held-out split only (the baseline and the finalists), as in
 * its report; search items were used to choose, so they would bias the estimate upward.
 *
 * <p>Columns (snake case, as in eval's JSON): {@code label} (the model file name without
 * {@code .gguf} and the variant, so {@code base} of six models is six points; when several runs give the
 * same model and variant, each such label ends with the run's path below the runs' common parent),
 * {@code model},
 * {@code variant}, {@code run}, {@code split}, {@code n}, {@code correct}, {@code accuracy} with
 * {@code wilson_low}/{@code wilson_high}, {@code multiply_adds_per_token},
 * {@code weight_bytes_per_token}, {@code kv_bytes_per_token}, {@code joules_per_token},
 * {@code active_parameters}, {@code plan_steps} and {@code training_flops} (from a Strata-trained GGUF, else missing).
 */
public final class LedgerReader {
    public static final List<String> COLUMNS = List.of("label", "model", "variant", "run", "split", "n", "correct", "accuracy", "wilson_low",
            "wilson_high", "multiply_adds_per_token", "weight_bytes_per_token", "kv_bytes_per_token", "joules_per_token", "active_parameters", "training_flops",
            "plan_steps");

    /** The score columns, what {@code --all-benchmarks} fits. */
    public static final List<String> SCORES = List.of("accuracy");

    private LedgerReader() {}

    /** Run directories, parents of runs or quoted globs; see {@link RunDirectories}. */
    public static ScoreTable read(List<Path> arguments) {
        List<Path> runs = RunDirectories.resolve(arguments);
        List<Point> points = new ArrayList<>();
        Map<String, String> trainingFlops = new HashMap<>();
        for (Path run : runs) {
            Ledger.Contents contents = Ledger.read(run);
            Predicate<String> heldOut = ResearchLoop.heldOutItems(contents.header().task());
            if (heldOut != null) contents = onlyItems(contents, heldOut);
            Ledger.Contents read = contents;
            if (contents.header().variants().isEmpty()) continue; // a research run stopped before its held-out split: no point yet
            String model = modelName(contents.header().model());
            String flops = trainingFlops.computeIfAbsent(contents.header().model() + "@" + contents.header().modelSha256(),
                    k -> trainingFlops(read.header()));
            for (VariantSummary v : Summary.of(contents).variants()) {
                if (v.n() > 0) points.add(new Point(model, run, heldOut != null ? "held-out" : "all", v, flops));
            }
        }
        Map<String, Integer> uses = new HashMap<>();
        for (Point p : points) uses.merge(p.plainLabel(), 1, Integer::sum);
        Path common = commonParent(runs);
        List<ScoreTable.Row> rows = new ArrayList<>();
        for (Point p : points) {
            String label = uses.get(p.plainLabel()) == 1 ? p.plainLabel() : p.plainLabel() + " (" + common.relativize(p.run()) + ")";
            rows.add(row(label, p));
        }
        return new ScoreTable("label", COLUMNS, rows);
    }

    /** One (run, variant); its label gains the run's path when the same model and variant come from several runs. */
    private record Point(String model, Path run, String split, VariantSummary summary, String trainingFlops) {
        String plainLabel() {
            return model + " " + summary.variant();
        }
    }

    private static Path commonParent(List<Path> runs) {
        Path common = runs.getFirst().getParent();
        for (Path r : runs) while (common != null && !r.startsWith(common)) common = common.getParent();
        return common == null ? runs.getFirst().getRoot() : common;
    }

    /** The ledger restricted to the given items; variants without any of them are dropped. */
    private static Ledger.Contents onlyItems(Ledger.Contents c, Predicate<String> keep) {
        List<LedgerEntry> entries = c.entries().stream().filter(e -> keep.test(e.item())).toList();
        Set<String> scored = new HashSet<>();
        for (LedgerEntry e : entries) scored.add(e.variantHash());
        LedgerHeader h = c.header();
        LedgerHeader kept = new LedgerHeader(h.version(), h.task(), h.items(), h.model(), h.modelSha256(),
                h.variants().stream().filter(v -> scored.contains(v.hash())).toList(), h.kernels(), h.threads(), h.seed(), h.limit(), h.watts(),
                h.strataCommit(), h.cpu(), h.started());
        return new Ledger.Contents(kept, entries, c.validBytes());
    }

    /**
     * The training FLOPs a Strata-trained GGUF records ({@code strata.train.flops}), read from the model the ledger
     * names, only while that file still has the ledger's SHA-256; else missing ("").
     */
    private static String trainingFlops(LedgerHeader h) {
        Path file = Path.of(h.model());
        if (!Files.isRegularFile(file) || !RunEnvironment.sha256(file).equals(h.modelSha256())) return "";
        try (GgufFile gguf = GgufFile.open(file)) {
            double flops = gguf.getDouble(CurriculumFormat.TRAIN_FLOPS, 0);
            return flops > 0 ? Double.toString(flops) : "";
        }
    }

    static String modelName(String modelPath) {
        String name = Path.of(modelPath).getFileName().toString();
        return name.endsWith(".gguf") ? name.substring(0, name.length() - ".gguf".length()) : name;
    }

    private static ScoreTable.Row row(String label, Point p) {
        VariantSummary v = p.summary();
        Map<String, String> c = new LinkedHashMap<>();
        c.put("label", label);
        c.put("model", p.model());
        c.put("variant", v.variant());
        c.put("run", p.run().toString());
        c.put("split", p.split());
        c.put("n", Integer.toString(v.n()));
        c.put("correct", Integer.toString(v.correct()));
        c.put("accuracy", Double.toString(v.accuracy()));
        c.put("wilson_low", Double.toString(v.wilson95().low()));
        c.put("wilson_high", Double.toString(v.wilson95().high()));
        c.put("multiply_adds_per_token", Double.toString(v.multiplyAddsPerToken()));
        c.put("weight_bytes_per_token", Double.toString(v.weightBytesPerToken()));
        c.put("kv_bytes_per_token", Double.toString(v.kvBytesPerToken()));
        c.put("joules_per_token", Double.toString(v.joulesPerToken()));
        c.put("active_parameters", Long.toString(v.activeParameters()));
        c.put("plan_steps", Integer.toString(v.planSteps()));
        c.put("training_flops", p.trainingFlops());
        return new ScoreTable.Row(label, c);
    }
}
