package dev.strata.eval;

import dev.strata.StrataException;
import dev.strata.eval.ledger.ItemCost;
import dev.strata.eval.ledger.Ledger;
import dev.strata.eval.ledger.LedgerEntry;
import dev.strata.eval.ledger.LedgerHeader.VariantInfo;
import dev.strata.runtime.Engine;
import dev.strata.runtime.Sequence;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Scores every variant on the same items, one sequence per worker thread, and appends each batch
 * of outcomes to the ledger before starting the next. Items the ledger already has are skipped,
 * which is all that resuming needs.
 */
public final class EvalRunner {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private final Function<Variant, Engine> engines;
    private final int threads;
    private final long seed;
    private final EnergyMeter energy;
    private final boolean showProgress;

    /** {@code engines} gives the engine for a variant's kernel set; each engine should run one thread per sequence. */
    public EvalRunner(Function<Variant, Engine> engines, int threads, long seed, EnergyMeter energy, boolean showProgress) {
        if (threads < 1) throw new StrataException("-t must be at least 1, got " + threads);
        this.engines = engines;
        this.threads = threads;
        this.seed = seed;
        this.energy = energy;
        this.showProgress = showProgress;
    }

    /** Checks the variant can run on this model and describes its plan; bad paths fail here, before any item runs. */
    public static VariantInfo describe(Engine engine, Variant v) {
        if (!v.attention().equals(Variant.FULL_ATTENTION))
            throw new StrataException("variant '" + v.canonical() + "': attention mode '" + v.attention() + "' is not available yet (only full)");
        Sequence seq = engine.newSequence(v.layers(), v.expertsPerToken(), 16);
        var c = engine.model().config();
        int k = v.expertsPerToken() > 0 ? v.expertsPerToken() : c.expertUsedCount();
        long kvPerPosition = seq.cache().allocatedBytes() / seq.cache().capacity();
        return new VariantInfo(v.canonical(), v.hash(), v.layers(), v.expertsPerToken(), v.kernels(), v.attention(),
                seq.plan().steps().size(), engine.model().activeParameterCount(k, seq.plan().layerPath()), kvPerPosition);
    }

    /** The seed an item's scoring sees: the run's seed and the item id, the same for every variant (common random numbers). */
    public long itemSeed(EvalItem item) {
        return seed * 0x9E3779B97F4A7C15L + item.id().hashCode();
    }

    public void run(EvalTask task, List<EvalItem> items, List<Variant> variants, Ledger ledger) {
        long todo = 0;
        for (Variant v : variants) for (EvalItem it : items) if (!ledger.has(v.hash(), it.id())) todo++;
        if (todo == 0) return;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (ProgressBar bar = showProgress ? progressBar(todo) : null) {
            int[] right = {0}, done = {0};
            for (Variant v : variants) {
                Engine engine = engines.apply(v);
                List<EvalItem> pending = items.stream().filter(it -> !ledger.has(v.hash(), it.id())).toList();
                int batch = Math.max(8, 4 * threads);
                for (int from = 0; from < pending.size(); from += batch) {
                    List<EvalItem> chunk = pending.subList(from, Math.min(pending.size(), from + batch));
                    long[] before = energy.read();
                    List<Future<LedgerEntry>> futures = new ArrayList<>();
                    for (EvalItem it : chunk) {
                        futures.add(pool.submit(() -> {
                            LedgerEntry e = score(task, engine, v, it);
                            if (bar != null) {
                                synchronized (right) {
                                    done[0]++;
                                    if (e.correct()) right[0]++;
                                    bar.setExtraMessage(String.format(Locale.ROOT, " %s acc %.1f%%", v.canonical(), 100.0 * right[0] / done[0]));
                                }
                                bar.step();
                            }
                            return e;
                        }));
                    }
                    List<LedgerEntry> entries = new ArrayList<>();
                    for (Future<LedgerEntry> f : futures) entries.add(f.get());
                    ledger.append(withEnergy(entries, energy.joulesBetween(before, energy.read())));
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StrataException se) throw se;
            throw new StrataException("scoring failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException("interrupted");
        } finally {
            pool.shutdownNow();
        }
    }

    /** Scores one item under a variant, without the ledger (research cluster members send the entry to the coordinator). */
    public LedgerEntry score(EvalTask task, Engine engine, Variant v, EvalItem item) {
        VariantContext ctx = new VariantContext(engine, v, itemSeed(item));
        long wall0 = System.nanoTime(), cpu0 = CPU.getCurrentThreadCpuTime();
        ItemOutcome o = task.score(ctx, item);
        long wall = System.nanoTime() - wall0, cpu = CPU.getCurrentThreadCpuTime() - cpu0;
        var s = ctx.stats();
        long kvPerToken = kvBytesPerPosition(ctx);
        ItemCost cost = new ItemCost(s.tokens, s.multiplyAdds, s.weightBytes, s.expertsSelected, s.expertBytesRead, kvPerToken, wall, cpu, 0,
                energy.source());
        return new LedgerEntry(v.canonical(), v.hash(), item.id(), item.group(), item.difficulty(), o.prediction(), o.correct(), o.metrics(),
                o.promptTokens(), o.generatedTokens(), cost);
    }

    private static long kvBytesPerPosition(ItemContext ctx) {
        Sequence probe = ctx.newSequence(16);
        return probe.cache().allocatedBytes() / probe.cache().capacity();
    }

    private List<LedgerEntry> withEnergy(List<LedgerEntry> entries, double joules) {
        List<ItemCost> costs = energy.attribute(entries.stream().map(LedgerEntry::cost).toList(), joules);
        List<LedgerEntry> out = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            LedgerEntry e = entries.get(i);
            out.add(new LedgerEntry(e.variant(), e.variantHash(), e.item(), e.group(), e.difficulty(), e.prediction(), e.correct(), e.metrics(),
                    e.promptTokens(), e.generatedTokens(), costs.get(i)));
        }
        return out;
    }

    private static ProgressBar progressBar(long total) {
        return new ProgressBarBuilder().setTaskName("eval").setInitialMax(total).setUnit(" items", 1).showSpeed()
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).continuousUpdate().build();
    }
}
