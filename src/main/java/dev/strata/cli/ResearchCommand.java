package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.eval.EvalTask;
import dev.strata.eval.Variant;
import dev.strata.research.DecisionRule;
import dev.strata.research.EngineTrials;
import dev.strata.research.ResearchLoop;
import dev.strata.research.ResearchReport;
import dev.strata.research.SearchSpace;
import dev.strata.research.Trials;
import dev.strata.research.TrainResearch;
import dev.strata.train.TrainRecipe;
import dev.strata.research.cluster.ChunkScorer;
import dev.strata.research.cluster.ClusterMember;
import dev.strata.research.cluster.ClusterTrials;
import dev.strata.research.cluster.EngineChunkScorer;
import dev.strata.research.cluster.RunSpec;
import com.hazelcast.core.HazelcastInstance;
import dev.strata.runtime.Engine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "research", mixinStandardHelpOptions = true,
        description = {"Search layer paths and experts per token for variants that beat a baseline beyond noise: a sweep of the whole",
                "space on a small search sample, successive halving, then the finalists once on a sealed held-out split, kept only",
                "if the exact McNemar test beats the baseline after Holm (or BH with --fdr). Decisions go to results.tsv, kept",
                "variants to plans.json, trials to the eval ledger, all in --out.",
                "Example: strata research --space dup,skip --max-block 2 --out runs/research1"})
public final class ResearchCommand implements Callable<Integer> {

    @Option(names = "--space", paramLabel = "LIST", description = "search spaces, comma-separated: dup, loop, skip, experts, quant, or none; or train alone (default: ${DEFAULT-VALUE})")
    String space = "dup,skip";

    @Option(names = "--max-block", paramLabel = "N", description = "longest block of layers to dup, loop or skip (default: ${DEFAULT-VALUE})")
    int maxBlock = 2;

    @Option(names = "--loop-times", paramLabel = "K", description = "loop: times a block runs in all (default: ${DEFAULT-VALUE})")
    int loopTimes = 3;

    @Option(names = "--quant-types", paramLabel = "LIST", description = "quant: weight types to try per block of layers and for all layers (default: Q8_0,Q4_K,Q4_0)")
    String quantTypes;

    @Option(names = "--train-grid", paramLabel = "GRID", description = "train: recipes around the baseline, ';'-separated axes of key=v1,v2, e.g. \"dim=32,48;lr=1e-3,3e-3\" (keys: dim, layers, heads, kv-heads, ffn, experts, experts-used, lr, warmup, weight-decay, loop, batch, seq)")
    String trainGrid;

    @Option(names = "--baseline-train", paramLabel = "SETTINGS", description = "train: the baseline recipe as key=value pairs, e.g. \"dim=64,layers=2\" (default: strata train's defaults)")
    String baselineTrain;

    @Option(names = "--train-steps", paramLabel = "N", description = "train: optimizer steps per training (bit-reproducible)")
    long trainSteps;

    @Option(names = "--train-budget", paramLabel = "TIME", description = "train: wall-clock training time per training instead of steps, e.g. 5m")
    String trainBudget;

    @Option(names = "--train-seeds", paramLabel = "N", description = "train: seeds per recipe; fewer than 3 keeps nothing (default: ${DEFAULT-VALUE})")
    int trainSeeds = 3;

    @Option(names = "--candidates", paramLabel = "LIST", description = "extra variants to consider, as eval's --variants, e.g. \"dup:1-2+experts=1;base\"")
    String candidates;

    @Option(names = "--baseline", paramLabel = "VARIANT", description = "the variant to beat (default: ${DEFAULT-VALUE})")
    String baseline = "base";

    @Option(names = "--heldout", paramLabel = "F", description = "share of items in the sealed held-out split (default: ${DEFAULT-VALUE})")
    double heldOut = 0.5;

    @Option(names = "--heldout-limit", paramLabel = "N", description = "score at most N held-out items (default: all)")
    int heldOutLimit;

    @Option(names = "--search-items", paramLabel = "N", description = "search items per candidate in the sweep (default: ${DEFAULT-VALUE})")
    int searchItems = 16;

    @Option(names = "--eta", paramLabel = "N", description = "halving: 1/N of the candidates survive a round and get N times more items (default: ${DEFAULT-VALUE})")
    int eta = 2;

    @Option(names = "--finalists", paramLabel = "N", description = "candidates scored on the held-out split (default: ${DEFAULT-VALUE})")
    int finalists = 3;

    @Option(names = "--alpha", paramLabel = "A", description = "significance level of the keep rule (default: ${DEFAULT-VALUE})")
    double alpha = 0.05;

    @Option(names = "--fdr", description = "correct with Benjamini-Hochberg (false discovery rate) instead of Holm (family-wise)")
    boolean fdr;

    @Option(names = "--budget", paramLabel = "TIME", description = "stop halving when this much time has passed, e.g. 30m, 90s, 1h (default: none)")
    String budget;

    @Option(names = "--cluster", description = "make this process the coordinator and a member of a Hazelcast cluster; add members with strata worker --join")
    boolean cluster;

    @Option(names = "--host", paramLabel = "ADDR", description = "--cluster: the address to listen on (default: ${DEFAULT-VALUE}, loopback only)")
    String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "P", description = "--cluster: the port to listen on (default: ${DEFAULT-VALUE})")
    int port = 5701;

    @Option(names = "--chunk", paramLabel = "N", description = "--cluster: items per chunk sent to a member (default: ${DEFAULT-VALUE})")
    int chunk = 8;

    @Mixin EvalRunOptions run = new EvalRunOptions(20);

    @Override
    public Integer call() {
        if (space.strip().equals("train")) return train();
        if (trainGrid != null || baselineTrain != null || trainSteps != 0 || trainBudget != null)
            throw new StrataException("--train-grid, --baseline-train, --train-steps and --train-budget need --space train");
        SearchSpace searchSpace = space.strip().equals("none") ? null : SearchSpace.parse(space, maxBlock, loopTimes, quantTypes); // bad flags fail before the model loads
        Path file = run.modelFile();
        Duration limit = budget == null ? null : parseDuration(budget);
        try (Engine engine = Engine.open(file, 1, run.kernels)) {
            EvalTask evalTask = run.taskFactory().apply(engine);
            EngineTrials local = new EngineTrials(engine, evalTask, file, run.threads, run.seed, run.watts, !run.noProgress);
            Trials trials = local;
            HazelcastInstance hz = null;
            if (cluster) {
                hz = ClusterMember.start(host, port, null, ClusterMember.CLUSTER);
                var spec = new RunSpec(runId(file), file.toAbsolutePath().toString(), run.task, run.problems, run.minDifficulty, run.maxDifficulty, run.seed, run.kernels, run.threads);
                ChunkScorer.Registry.register(spec.runId(), new EngineChunkScorer(engine, evalTask, run.seed, run.watts));
                System.err.printf("strata research: coordinator at %s:%d; add members with strata worker --join %s:%d%n", host,
                        hz.getCluster().getLocalMember().getAddress().getPort(), host, hz.getCluster().getLocalMember().getAddress().getPort());
                trials = new ClusterTrials(trials, hz, spec, chunk, run.threads);
            }
            try {
                var rule = new DecisionRule(fdr ? DecisionRule.Correction.BH : DecisionRule.Correction.HOLM, alpha, run.seed);
                var settings = new ResearchLoop.Settings(Variant.parse(baseline), candidates(searchSpace, trials.shape()), heldOut, run.seed, searchItems, eta, finalists,
                        heldOutLimit, rule, limit, run.out, run.resume, ResearchLoop.commit());
                ResearchLoop.Result r = new ResearchLoop(trials, settings).run();
                var report = ResearchReport.write(r, run.out);
                System.out.print(report.markdown());
                System.out.println();
                System.out.println("results.tsv, plans.json (" + r.kept().size() + " kept), report and plots (" + String.join(", ", report.plots()) + ") in " + run.out);
                return 0;
            } finally {
                if (hz != null) hz.shutdown();
                local.close();
            }
        }
    }

    /** --space train: trains every recipe with --train-seeds seeds and decides on the pooled held-run.out outcomes. */
    private int train() {
        if (cluster) throw new StrataException("--space train runs on this machine; drop --cluster");
        if (run.model != null) throw new StrataException("--space train trains its own models; drop -m");
        if (!run.task.equals("curriculum") && !run.task.startsWith("curriculum:")) throw new StrataException("--space train needs --task curriculum or curriculum:FAMILIES");
        if (trainSteps > 0 && trainBudget != null) throw new StrataException("give --train-steps or --train-budget, not both");
        if (candidates != null || !baseline.equals("base") || budget != null)
            throw new StrataException("--space train takes --train-grid, --baseline-train and --train-steps/--train-budget, not --candidates, --baseline or --budget");
        TrainRecipe baseline = TrainRecipe.DEFAULT.with(baselineTrain);
        List<TrainRecipe> recipes = baseline.grid(trainGrid);
        var rule = new DecisionRule(fdr ? DecisionRule.Correction.BH : DecisionRule.Correction.HOLM, alpha, run.seed);
        var settings = new TrainResearch.Settings(baseline, recipes, run.task.equals("curriculum") ? "all" : run.task.substring("curriculum:".length()),
                run.minDifficulty != null ? run.minDifficulty : 1, run.maxDifficulty != null ? run.maxDifficulty : 4, run.problems, trainSeeds, trainSteps,
                trainBudget == null ? 0 : parseDuration(trainBudget).toMillis() / 1000.0, run.threads, run.kernels, heldOut, heldOutLimit, run.seed, rule, run.out, run.resume,
                ResearchLoop.commit());
        var research = new TrainResearch(settings);
        ResearchLoop.Result r = research.run();
        var report = ResearchReport.write(r, run.out);
        System.out.print(report.markdown());
        System.out.println();
        System.out.println("trained " + research.trained() + " models in this run; results.tsv, " + TrainResearch.RECIPES + " (" + r.kept().size()
                + " kept), " + dev.strata.research.TrainLedger.FILE + " and models/ in " + run.out);
        return 0;
    }

    /** Members cache one engine and run.task per run id, so equal specs share them. */
    private String runId(Path file) {
        return Integer.toHexString(java.util.Objects.hash(file.toAbsolutePath().toString(), run.task, run.problems, run.minDifficulty, run.maxDifficulty, run.seed, run.kernels));
    }

    private List<Variant> candidates(SearchSpace searchSpace, int[] shape) {
        List<Variant> list = new ArrayList<>();
        if (searchSpace != null) list.addAll(searchSpace.candidates(shape[0], shape[1], shape[2]));
        if (candidates != null) list.addAll(Variant.parseList(candidates));
        if (list.isEmpty()) throw new StrataException("nothing to search: give --space or --candidates");
        return list;
    }

    static Duration parseDuration(String text) {
        var m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(s|m|h)").matcher(text.strip());
        if (!m.matches()) throw new StrataException("--budget must look like 90s, 30m or 2h, got '" + text + "'");
        double v = Double.parseDouble(m.group(1));
        double seconds = switch (m.group(2)) {
            case "s" -> v;
            case "m" -> v * 60;
            default -> v * 3600;
        };
        return Duration.ofMillis((long) (seconds * 1000));
    }
}
