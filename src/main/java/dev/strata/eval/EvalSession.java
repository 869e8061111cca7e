package dev.strata.eval;

import dev.strata.StrataException;
import dev.strata.eval.ledger.Ledger;
import dev.strata.eval.ledger.LedgerHeader;
import dev.strata.eval.ledger.LedgerHeader.VariantInfo;
import dev.strata.eval.report.Plots;
import dev.strata.eval.report.Summary;
import dev.strata.weights.StreamingOptions;
import dev.strata.runtime.Engine;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One {@code eval} run from start to report: opens an engine per kernel set, builds the task,
 * writes or checks the ledger header, scores what the ledger lacks, then recomputes the summary
 * from the ledger and draws the plots.
 */
public final class EvalSession {
    /** limit 0 = every item; watts is per core, for the energy estimate when RAPL is unreadable. */
    public record Settings(Path model, List<Variant> variants, String kernels, int threads, long seed, int limit, double watts,
            Path out, boolean resume, StreamingOptions streaming, boolean progress) {}

    /** What a run left behind: its summary and the plot names written into the run directory. */
    public record Result(Summary summary, List<String> plots, int scored, double seconds) {}

    private EvalSession() {}

    public static Result run(Settings s, Function<Engine, EvalTask> taskFor) {
        if (s.limit() < 0) throw new StrataException("--limit must be 0 (all) or more, got " + s.limit());
        if (!(s.watts() > 0)) throw new StrataException("--watts must be positive, got " + s.watts());
        try (VariantEngines engineFor = new VariantEngines(s.model(), s.kernels(), s.streaming(), null)) {
            Engine first = engineFor.apply(Variant.BASE);
            EvalTask task = taskFor.apply(first);
            List<EvalItem> items = select(task.items(), s.limit());
            List<VariantInfo> infos = new ArrayList<>();
            for (Variant v : s.variants()) infos.add(EvalRunner.describe(engineFor.apply(v), v));
            LedgerHeader header = new LedgerHeader(LedgerHeader.VERSION, task.name(), items.size(), s.model().toAbsolutePath().toString(),
                    RunEnvironment.sha256(s.model()), infos, first.kernels().name(), s.threads(), s.seed(), s.limit(), s.watts(),
                    RunEnvironment.strataCommit(), RunEnvironment.cpu(), Instant.now().toString());
            EnergyMeter energy = EnergyMeter.detect(s.watts());
            long t0 = System.nanoTime();
            int scored;
            try (Ledger ledger = s.resume() ? Ledger.resume(s.out(), header) : Ledger.create(s.out(), header)) {
                int already = ledger.entries().size();
                new EvalRunner(engineFor, s.threads(), s.seed(), energy, s.progress()).run(task, items, s.variants(), ledger);
                scored = ledger.entries().size() - already;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Summary summary = Summary.of(Ledger.read(s.out()));
            return new Result(summary, Plots.write(summary, s.out()), scored, seconds);
        }
    }

    /** The first {@code limit} items (all when 0); ids must be unique, since (variant, id) keys the ledger. */
    static List<EvalItem> select(List<EvalItem> items, int limit) {
        List<EvalItem> chosen = limit > 0 && limit < items.size() ? items.subList(0, limit) : items;
        if (chosen.isEmpty()) throw new StrataException("the task has no items");
        Set<String> ids = new HashSet<>();
        for (EvalItem it : chosen) if (!ids.add(it.id())) throw new StrataException("the task has two items with the id '" + it.id() + "'");
        return List.copyOf(chosen);
    }
}
