package dev.strata.research;

import dev.strata.eval.EnergyMeter;
import dev.strata.eval.EvalItem;
import dev.strata.eval.EvalRunner;
import dev.strata.eval.EvalTask;
import dev.strata.eval.RunEnvironment;
import dev.strata.eval.Variant;
import dev.strata.eval.VariantEngines;
import dev.strata.eval.ledger.Ledger;
import dev.strata.eval.ledger.LedgerHeader;
import dev.strata.eval.ledger.LedgerHeader.VariantInfo;
import dev.strata.runtime.Engine;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Trials on this machine: {@link EvalRunner} over one engine (and one per quant variant), one sequence per worker thread. */
public final class EngineTrials implements Trials, AutoCloseable {
    private final Engine engine;
    private final VariantEngines engines;
    private final EvalTask task;
    private final Path model;
    private final int threads;
    private final long seed;
    private final double watts;
    private final boolean progress;

    public EngineTrials(Engine engine, EvalTask task, Path model, int threads, long seed, double watts, boolean progress) {
        this.engine = engine;
        this.task = task;
        this.model = model;
        this.threads = threads;
        this.seed = seed;
        this.watts = watts;
        this.progress = progress;
        this.engines = new VariantEngines(model, engine.kernels().name(), null, engine);
    }

    @Override
    public String taskName() {
        return task.name();
    }

    @Override
    public List<EvalItem> items() {
        return task.items();
    }

    @Override
    public VariantInfo describe(Variant v) {
        return EvalRunner.describe(engines.apply(v), v);
    }

    @Override
    public LedgerHeader header(String run, int items, List<VariantInfo> variants) {
        return new LedgerHeader(LedgerHeader.VERSION, run, items, model.toAbsolutePath().toString(), RunEnvironment.sha256(model), variants,
                engine.kernels().name(), threads, seed, 0, watts, RunEnvironment.strataCommit(), RunEnvironment.cpu(), Instant.now().toString());
    }

    @Override
    public void score(List<Variant> variants, List<EvalItem> items, Ledger ledger) {
        new EvalRunner(engines, threads, seed, EnergyMeter.detect(watts), progress).run(task, items, variants, ledger);
    }

    /** Closes the engines opened for quant variants (not the one given). */
    @Override
    public void close() {
        engines.close();
    }

    @Override
    public int[] shape() {
        var c = engine.model().config();
        return new int[] {c.blockCount(), c.expertCount(), c.expertUsedCount()};
    }
}
