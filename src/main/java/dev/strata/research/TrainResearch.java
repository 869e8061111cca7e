package dev.strata.research;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.strata.StrataException;
import dev.strata.eval.EnergyMeter;
import dev.strata.eval.EvalItem;
import dev.strata.eval.EvalRunner;
import dev.strata.eval.Variant;
import dev.strata.eval.ledger.LedgerEntry;
import dev.strata.runtime.Engine;
import dev.strata.train.TrainRecipe;
import dev.strata.train.Trainer;
import dev.strata.train.curriculum.Family;
import dev.strata.train.export.TrainedModelExport;
import dev.strata.train.solve.CurriculumSelection;
import dev.strata.train.solve.CurriculumTask;
import dev.strata.train.tokenize.TokenizerSpec;
import dev.strata.train.tokenize.TrainTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/**
 * {@code --space train}: each candidate recipe, and the baseline, is trained from scratch with
 * {@code seeds} seeds under a fixed step count (bit-reproducible) or wall-clock budget, exported to
 * GGUF in the run directory and scored once on the sealed held-out split of the curriculum. A
 * candidate's outcomes pooled over seeds, (item, seed) pairs, are paired with the baseline's on the
 * same items and seeds, and {@link DecisionRule} decides over all candidates as for any other
 * space; with fewer than {@value #MIN_SEEDS} seeds nothing is kept. Every finished (recipe, seed) is
 * a line in {@link TrainLedger}, so a resumed run trains and scores nothing twice.
 */
public final class TrainResearch {
    public static final int MIN_SEEDS = 3;

    /** steps > 0: a fixed step count; otherwise budgetSeconds of training each. Seeds are seed, seed+1, ... */
    public record Settings(TrainRecipe baseline, List<TrainRecipe> candidates, String families, int minDifficulty, int maxDifficulty, int problems,
            int seeds, long steps, double budgetSeconds, int threads, String kernels, double heldOutFraction, int heldOutLimit, long seed,
            DecisionRule rule, Path out, boolean resume, String commit) {
        public Settings {
            candidates = List.copyOf(candidates);
            if (seeds < 1) throw new StrataException("--train-seeds must be at least 1, got " + seeds);
            if (steps <= 0 && !(budgetSeconds > 0)) throw new StrataException("--space train needs --train-steps N or --train-budget TIME");
            if (candidates.isEmpty()) throw new StrataException("--space train needs candidates: give --train-grid, e.g. \"lr=1e-3,1e-2;dim=32,48\"");
            if (heldOutLimit < 0) throw new StrataException("--heldout-limit must be 0 (all) or more, got " + heldOutLimit);
        }

        String fingerprint() {
            return String.format(Locale.ROOT, "train:%s|%s..%s|problems=%d|baseline=%s|seeds=%d|steps=%d|budget=%s|threads=%d|kernels=%s|heldout=%s|limit=%d|seed=%d|%s|alpha=%s",
                    families, minDifficulty, maxDifficulty, problems, baseline.name(), seeds, steps, budgetSeconds, threads, kernels, heldOutFraction,
                    heldOutLimit, seed, rule.correction(), rule.alpha());
        }
    }

    private final Settings s;
    /** Called after a model is trained and written, before its ledger line: tests simulate a crash there. */
    public BiConsumer<String, Long> onTrained = (recipe, seed) -> {};
    private int trained;

    public TrainResearch(Settings settings) {
        this.s = settings;
    }

    /** Trainings run by this call (not those a resumed run found finished). */
    public int trained() {
        return trained;
    }

    public ResearchLoop.Result run() {
        List<Family> families = Family.parseList(s.families());
        var task = new CurriculumTask(new CurriculumSelection(families, s.minDifficulty(), s.maxDifficulty(), s.problems(), s.seed()));
        SealedSplit split = new SealedSplit(task.items(), s.heldOutFraction(), s.seed());
        List<EvalItem> heldOut = split.unseal(); // the search split stays unread: a training run sees only the training split
        if (s.heldOutLimit() > 0 && s.heldOutLimit() < heldOut.size()) heldOut = heldOut.subList(0, s.heldOutLimit());
        List<String> familyIds = families.stream().map(Family::id).toList();
        TrainTokenizer tokenizer = TokenizerSpec.build("char", families, s.minDifficulty(), s.maxDifficulty(), s.seed());

        List<Decision> decisions = new ArrayList<>(), crashes = new ArrayList<>();
        List<TrainRecipe> alive = new ArrayList<>();
        s.baseline().modelConfig(tokenizer.vocabSize()); // a baseline that cannot be built is an error, not a crash row
        for (TrainRecipe r : s.candidates()) {
            if (r.name().equals(s.baseline().name()) || alive.stream().anyMatch(a -> a.name().equals(r.name()))) continue;
            try {
                r.modelConfig(tokenizer.vocabSize());
                alive.add(r);
            } catch (StrataException e) {
                crashes.add(crash(r.name(), e.getMessage()));
            }
        }
        try (TrainLedger ledger = TrainLedger.open(s.out(), s.fingerprint(), s.resume()); ResultsLog log = ResultsLog.open(s.out(), s.commit())) {
            for (Decision d : crashes) record(log, decisions, d);
            List<TrainRecipe> all = new ArrayList<>(List.of(s.baseline()));
            all.addAll(alive);
            for (int i = 0; i < s.seeds(); i++) {
                long seed = s.seed() + i;
                for (TrainRecipe r : all) if (ledger.get(r.name(), seed) == null) ledger.append(trainAndScore(r, seed, familyIds, tokenizer, task, heldOut));
            }
            Pooled base = pool(ledger, s.baseline());
            if (base.crash() != null) throw new StrataException("the baseline " + s.baseline().name() + " failed to train: " + base.crash());
            record(log, decisions, new Decision(s.baseline().name(), Decision.Stages.BASELINE, Decision.KEEP, base.correct().length, DecisionRule.accuracy(base.correct()),
                    DecisionRule.accuracy(base.correct()), null, Double.NaN, Double.NaN, base.macs(), base.mb(),
                    String.format(Locale.ROOT, "baseline: %d held-out items x %d seeds; %s", heldOut.size(), s.seeds(), base.perSeed())));
            List<DecisionRule.Finalist> finalists = new ArrayList<>();
            List<Pooled> pooled = new ArrayList<>();
            for (TrainRecipe r : alive) {
                Pooled p = pool(ledger, r);
                if (p.crash() != null) record(log, decisions, crash(r.name(), p.crash()));
                else {
                    finalists.add(new DecisionRule.Finalist(r.name(), p.correct(), p.macs(), p.mb()));
                    pooled.add(p);
                }
            }
            List<Decision> decided = s.rule().decide(base.correct(), finalists);
            for (int i = 0; i < decided.size(); i++) record(log, decisions, withSeeds(decided.get(i), pooled.get(i)));
            Path recipes = writeRecipes(decisions.stream().filter(Decision::kept).toList(), all);
            return new ResearchLoop.Result(List.copyOf(decisions), List.of(), Map.of(), split.search().size(), heldOut.size(), recipes);
        }
    }

    /** A candidate's held-out outcomes over all seeds, seed after seed, or why its training failed. */
    private record Pooled(boolean[] correct, double macs, double mb, String perSeed, String crash) {}

    private Pooled pool(TrainLedger ledger, TrainRecipe r) {
        List<Boolean> all = new ArrayList<>();
        long tokens = 0, macs = 0, bytes = 0;
        List<String> perSeed = new ArrayList<>();
        for (int i = 0; i < s.seeds(); i++) {
            TrainLedger.Run run = ledger.get(r.name(), s.seed() + i);
            if (run.status().equals(Decision.CRASH)) return new Pooled(null, 0, 0, "", "seed " + run.seed() + ": " + run.message());
            for (boolean b : run.correct()) all.add(b);
            tokens += run.tokens();
            macs += run.multiplyAdds();
            bytes += run.weightBytes();
            perSeed.add(String.format(Locale.ROOT, "seed %d %.1f%% (val loss %.3f)", run.seed(), 100 * DecisionRule.accuracy(run.correct()), run.valLoss()));
        }
        boolean[] c = new boolean[all.size()];
        for (int i = 0; i < c.length; i++) c[i] = all.get(i);
        double perToken = Math.max(1, tokens);
        return new Pooled(c, macs / perToken, bytes / perToken / 1e6, String.join(", ", perSeed), null);
    }

    private Decision withSeeds(Decision d, Pooled p) {
        boolean tooFew = d.status().equals(Decision.KEEP) && s.seeds() < MIN_SEEDS;
        String why = (tooFew ? "discarded: trained with " + s.seeds() + " seeds, fewer than " + MIN_SEEDS + "; the rule alone said " : "")
                + d.description() + " (items x seeds pooled; " + p.perSeed() + ")";
        return new Decision(d.variant(), d.stage(), tooFew ? Decision.DISCARD : d.status(), d.n(), d.accuracy(), d.baselineAccuracy(), d.delta(), d.p(),
                d.pAdjusted(), d.multiplyAddsPerToken(), d.memoryMb(), why);
    }

    private TrainLedger.Run trainAndScore(TrainRecipe r, long seed, List<String> familyIds, TrainTokenizer tokenizer, CurriculumTask task,
            List<EvalItem> items) {
        Path dir = s.out().resolve("models");
        String stem = Plan.nameOf(r.name()) + "-s" + seed;
        Path gguf = dir.resolve(stem + ".gguf"), summaryFile = dir.resolve(stem + ".json");
        Map<String, String> summary;
        try {
            Files.createDirectories(dir);
            if (Files.exists(gguf)) {
                summary = readSummary(summaryFile);
            } else {
                var options = r.options(familyIds, s.minDifficulty(), s.maxDifficulty(), s.steps(), s.budgetSeconds(), s.threads(), seed);
                Trainer trainer = new Trainer(r.modelConfig(tokenizer.vocabSize()), options, tokenizer, null, false).measurePeakFor(0);
                try {
                    summary = trainer.run();
                } catch (StrataException e) {
                    return new TrainLedger.Run(r.name(), seed, Decision.CRASH, e.getMessage(), 0, 0, 0, null, "", 0, 0, 0);
                }
                atomically(summaryFile, tmp -> JSON.writeValue(tmp.toFile(), summary));
                atomically(gguf, tmp -> TrainedModelExport.export(trainer.model().config(), trainer.model().params(), tokenizer, options,
                        Long.parseLong(summary.get("steps")), Long.parseLong(summary.get("tokens")), tmp));
                trained++;
                onTrained.accept(r.name(), seed);
            }
        } catch (IOException e) {
            throw new StrataException("cannot write the trained model " + gguf + ": " + e.getMessage(), e);
        }
        StringBuilder outcomes = new StringBuilder();
        long tokens = 0, macs = 0, bytes = 0;
        for (LedgerEntry e : score(gguf, task, items)) {
            outcomes.append(e.correct() ? '1' : '0');
            tokens += e.cost().tokens();
            macs += e.cost().multiplyAdds();
            bytes += e.cost().weightBytes();
        }
        return new TrainLedger.Run(r.name(), seed, "done", "", Long.parseLong(summary.get("steps")), Double.parseDouble(summary.get("training_seconds")),
                Double.parseDouble(summary.get("val_loss")), s.out().relativize(gguf).toString(), outcomes.toString(), tokens, macs, bytes);
    }

    /** The items in order, scored on {@code threads} threads with the eval runner's per-item scoring. */
    private List<LedgerEntry> score(Path gguf, CurriculumTask task, List<EvalItem> items) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, s.threads()));
        try (Engine engine = Engine.open(gguf, 1, s.kernels())) {
            EvalRunner runner = new EvalRunner(v -> engine, 1, s.seed(), EnergyMeter.detect(10), false);
            List<Future<LedgerEntry>> futures = new ArrayList<>();
            for (EvalItem it : items) futures.add(pool.submit(() -> runner.score(task, engine, Variant.BASE, it)));
            List<LedgerEntry> out = new ArrayList<>();
            for (Future<LedgerEntry> f : futures) out.add(f.get());
            return out;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StrataException se) throw se;
            throw new StrataException("scoring " + gguf + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException("interrupted");
        } finally {
            pool.shutdownNow();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private interface Writer {
        void write(Path tmp) throws IOException;
    }

    /** Writes to a temporary file and renames it, so the file exists only whole. */
    private static void atomically(Path file, Writer w) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        w.write(tmp);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> readSummary(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Map.class);
    }

    /** The kept recipes, {@value #RECIPES}: name, {@code strata train} flags and the held-out evidence. */
    public static final String RECIPES = "recipes.json";

    public record KeptRecipe(String name, String trainFlags, int n, double accuracy, double baselineAccuracy, double delta, double deltaLow95,
            double deltaHigh95, double p, double pAdjusted) {}

    private Path writeRecipes(List<Decision> kept, List<TrainRecipe> all) {
        List<KeptRecipe> out = new ArrayList<>();
        for (Decision d : kept) {
            TrainRecipe r = all.stream().filter(x -> x.name().equals(d.variant())).findFirst().orElseThrow();
            out.add(new KeptRecipe(d.variant(), r.flags(), d.n(), d.accuracy(), d.baselineAccuracy(), d.delta().estimate(), d.delta().low(),
                    d.delta().high(), d.p(), d.pAdjusted()));
        }
        Path file = s.out().resolve(RECIPES);
        try {
            atomically(file, tmp -> JSON.writeValue(tmp.toFile(), Map.of("recipes", out)));
        } catch (IOException e) {
            throw new StrataException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    private static Decision crash(String name, String why) {
        return new Decision(name, Decision.Stages.CRASH, Decision.CRASH, 0, Double.NaN, Double.NaN, null, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, "crash: " + why);
    }

    private static void record(ResultsLog log, List<Decision> decisions, Decision d) {
        log.append(d);
        decisions.add(d);
    }
}
