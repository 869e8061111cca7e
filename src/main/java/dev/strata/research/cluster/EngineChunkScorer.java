package dev.strata.research.cluster;

import dev.strata.eval.EnergyMeter;
import dev.strata.eval.EvalItem;
import dev.strata.eval.EvalRunner;
import dev.strata.eval.EvalTask;
import dev.strata.eval.Variant;
import dev.strata.eval.VariantEngines;
import dev.strata.eval.ledger.LedgerEntry;
import dev.strata.runtime.Engine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Scores chunks on this member's engine with the eval runner's per-item scoring, so a member's lines equal a local run's. */
public final class EngineChunkScorer implements ChunkScorer {
    private final VariantEngines engines;
    private final EvalTask task;
    private final EvalRunner runner;
    private final Map<String, EvalItem> items = new HashMap<>();

    public EngineChunkScorer(Engine engine, EvalTask task, long seed, double watts) {
        this.engines = new VariantEngines(engine.path(), engine.kernels().name(), null, engine);
        this.task = task;
        this.runner = new EvalRunner(engines, 1, seed, EnergyMeter.detect(watts), false);
        for (EvalItem it : task.items()) items.put(it.id(), it);
    }

    @Override
    public List<LedgerEntry> score(String variant, List<String> itemIds) {
        Variant v = Variant.parse(variant);
        List<LedgerEntry> out = new ArrayList<>();
        for (String id : itemIds) {
            EvalItem it = items.get(id);
            if (it == null) throw new IllegalStateException("this member's task has no item " + id + " (is it the same task and model?)");
            out.add(runner.score(task, engines.apply(v), v, it));
        }
        return out;
    }
}
