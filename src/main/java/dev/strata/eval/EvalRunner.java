package dev.strata.eval;

import dev.strata.StrataException;
import dev.strata.eval.ledger.ItemCost;
import dev.strata.eval.ledger.Ledger;
import dev.strata.eval.ledger.LedgerEntry;
import dev.strata.eval.ledger.LedgerHeader.VariantInfo;
import dev.strata.weights.StreamingWeightStore;
import dev.strata.runtime.Engine;
import dev.strata.runtime.Sequence;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
        long kvPerPosition = seq.cache().storedBytesPerPosition();
        return new VariantInfo(v.canonical(), v.hash(), v.layers(), v.expertsPerToken(), v.kernels(), v.attention(),
                seq.plan().steps().size(), engine.model().activeParameterCount(k, seq.plan().layerPath()), kvPerPosition);
    }

    /** The seed an item's scoring sees: the run's seed and the item id, the same for every variant (common random numbers). */
    public long itemSeed(EvalItem item) {
        return seed * 0x9E3779B97F4A7C15L + item.id().hashCode();
    }

    public void run(EvalTask task, List<EvalItem> items, List<Variant> variants, Ledger ledger) {
        List<List<EvalItem>> pending = new ArrayList<>();
        for (Variant v : variants) pending.add(items.stream().filter(it -> !ledger.has(v.hash(), it.id())).toList());
        long todo = pending.stream().mapToLong(List::size).sum();
        if (todo == 0) return;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Progress progress = new Progress(showProgress ? progressBar(todo) : null)) {
            warmUp(task, variants, pending);
            // variants take turns batch by batch, so JIT warm-up and load drift do not favour one variant's timings
            int batch = Math.max(8, 4 * threads);
            int longest = pending.stream().mapToInt(List::size).max().orElse(0);
            for (int from = 0; from < longest; from += batch) {
                for (int vi = 0; vi < variants.size(); vi++) {
                    List<EvalItem> mine = pending.get(vi);
                    if (from >= mine.size()) continue;
                    List<EvalItem> chunk = mine.subList(from, Math.min(mine.size(), from + batch));
                    ledger.append(runBatch(pool, task, variants.get(vi), chunk, progress));
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

    /** Scores one batch in parallel and returns its ledger entries in item order, with the batch's energy and streamed bytes shared out. */
    private List<LedgerEntry> runBatch(ExecutorService pool, EvalTask task, Variant v, List<EvalItem> chunk, Progress progress)
            throws ExecutionException, InterruptedException {
        Engine engine = engines.apply(v);
        long[] before = energy.read();
        long streamedBefore = streamedBytes(engine);
        List<Future<LedgerEntry>> futures = new ArrayList<>();
        for (EvalItem it : chunk) {
            futures.add(pool.submit(() -> {
                LedgerEntry e = score(task, engine, v, it);
                progress.done(e.correct());
                return e;
            }));
        }
        List<LedgerEntry> entries = new ArrayList<>();
        for (Future<LedgerEntry> f : futures) entries.add(f.get());
        return withBatchTotals(entries, energy.joulesBetween(before, energy.read()), streamedBytes(engine) - streamedBefore);
    }

    /** The progress bar (items/s, ETA) with the running accuracy over everything scored so far. */
    private static final class Progress implements AutoCloseable {
        private final ProgressBar bar;
        private int done, right;

        Progress(ProgressBar bar) {
            this.bar = bar;
        }

        synchronized void done(boolean correct) {
            if (bar == null) return;
            done++;
            if (correct) right++;
            bar.setExtraMessage(String.format(Locale.ROOT, " acc %.1f%%", 100.0 * right / done));
            bar.step();
        }

        @Override
        public void close() {
            if (bar != null) bar.close();
        }
    }

    /** Scores one pending item per engine and discards it, so the first timed items do not pay for class loading and the JIT. */
    private void warmUp(EvalTask task, List<Variant> variants, List<List<EvalItem>> pending) {
        Set<Engine> warm = new HashSet<>();
        for (int vi = 0; vi < variants.size(); vi++) {
            Engine engine = engines.apply(variants.get(vi));
            if (!pending.get(vi).isEmpty() && warm.add(engine)) {
                EvalItem first = pending.get(vi).get(0);
                task.score(new VariantContext(engine, Variant.BASE, itemSeed(first)), first);
            }
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
                energy.source(), s.nanos, s.decodeTokens, s.decodeNanos);
        return new LedgerEntry(v.canonical(), v.hash(), item.id(), item.group(), item.difficulty(), o.prediction(), o.correct(), o.metrics(),
                o.promptTokens(), o.generatedTokens(), cost);
    }

    private static long kvBytesPerPosition(ItemContext ctx) {
        Sequence probe = ctx.newSequence(16);
        return probe.cache().storedBytesPerPosition();
    }

    /**
     * Gives each item its share of what only the batch as a whole can measure: energy (see
     * {@link EnergyMeter#attribute}) and, with a streaming store, the expert bytes read from disk,
     * prefetches included, split in proportion to the experts each item selected.
     */
    private List<LedgerEntry> withBatchTotals(List<LedgerEntry> entries, double joules, long streamed) {
        List<ItemCost> costs = energy.attribute(entries.stream().map(LedgerEntry::cost).toList(), joules);
        long experts = costs.stream().mapToLong(ItemCost::expertsSelected).sum();
        List<LedgerEntry> out = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            LedgerEntry e = entries.get(i);
            ItemCost c = costs.get(i);
            if (streamed > 0) c = c.withExpertBytesRead(experts == 0 ? streamed / entries.size() : streamed * c.expertsSelected() / experts);
            out.add(new LedgerEntry(e.variant(), e.variantHash(), e.item(), e.group(), e.difficulty(), e.prediction(), e.correct(), e.metrics(),
                    e.promptTokens(), e.generatedTokens(), c));
        }
        return out;
    }

    private static long streamedBytes(Engine engine) {
        return engine.model().store() instanceof StreamingWeightStore s ? s.stats().bytesRead() : 0;
    }

    private static ProgressBar progressBar(long total) {
        return new ProgressBarBuilder().setTaskName("eval").setInitialMax(total).setUnit(" items", 1).showSpeed()
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).continuousUpdate().build();
    }
}
