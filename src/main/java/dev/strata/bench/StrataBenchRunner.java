package dev.strata.bench;

import dev.strata.weights.ResidentMemory;
import dev.strata.weights.StreamingStats;
import dev.strata.weights.StreamingWeightStore;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;
import java.util.Random;

/**
 * Times Strata's forward pass the way llama-bench times llama.cpp: pp = one batched forward of
 * p tokens from an empty sequence, tg = n single-token forwards after a one-token prompt. A
 * warm-up of each test precedes the counted repetitions: at least one run, repeated until
 * {@code warmupMillis} have passed, because C2 compiles the Vector API kernels only after many
 * calls and a single run of a small model leaves them interpreted.
 */
public final class StrataBenchRunner {
    private static final long TOKEN_SEED = 42;

    private final Engine engine;
    private final String layers;
    private final int expertsPerToken;
    private final MeasurementLog log;
    private final long warmupMillis;

    public StrataBenchRunner(Engine engine, String layers, int expertsPerToken, long warmupMillis, MeasurementLog log) {
        this.engine = engine;
        this.warmupMillis = warmupMillis;
        this.layers = layers;
        this.expertsPerToken = expertsPerToken;
        this.log = log;
    }

    /** What one timed run did. */
    public record Run(long nanos, ForwardStats stats) {
        double tokensPerSecond() {
            return stats.tokens * 1e9 / nanos;
        }
    }

    public BenchResult promptProcessing(ModelDescription model, int threads, int p, int repetitions) {
        String test = "pp" + p;
        int[] tokens = randomTokens(p);
        warmUp(() -> runPrompt(tokens));
        return collect(model, threads, test, p, repetitions, () -> runPrompt(tokens));
    }

    /**
     * For MoE models every run decodes different tokens (seed 42 + run), so an expert cache cannot
     * score hits merely because the previous repetition routed the very same tokens.
     */
    public BenchResult tokenGeneration(ModelDescription model, int threads, int n, int repetitions) {
        String test = "tg" + n;
        int[] tokens = randomTokens(n + 1);
        if (!engine.model().config().isMoe()) {
            warmUp(() -> runGeneration(tokens));
            return collect(model, threads, test, n, repetitions, () -> runGeneration(tokens));
        }
        int vocab = engine.model().config().vocabSize();
        int[] run = {0};
        java.util.function.Supplier<Run> fresh = () -> runGeneration(randomTokens(n + 1, vocab, TOKEN_SEED + run[0]++));
        warmUp(fresh);
        return collect(model, threads, test, n, repetitions, fresh);
    }

    void warmUp(java.util.function.Supplier<Run> run) {
        long deadline = System.nanoTime() + warmupMillis * 1_000_000L;
        do run.get(); while (System.nanoTime() < deadline);
    }

    private BenchResult collect(ModelDescription model, int threads, String test, int nTokens, int repetitions,
                                java.util.function.Supplier<Run> timedRun) {
        IoBaseline base = ioBaseline();
        java.util.List<Run> runs = new java.util.ArrayList<>();
        for (int r = 0; r < repetitions; r++) runs.add(timedRun.get());
        return summarize(model, threads, test, nTokens, runs, base);
    }

    /** Streaming and storage counters before a set of runs, so their row reports only its own I/O. */
    private record IoBaseline(StreamingWeightStore streaming, StreamingStats.Snapshot before, long storage) {}

    private IoBaseline ioBaseline() {
        StreamingWeightStore streaming = engine.model().store() instanceof StreamingWeightStore sws ? sws : null;
        return new IoBaseline(streaming, streaming == null ? null : streaming.stats(), ResidentMemory.storageReadBytes());
    }

    /** The result row of timed runs interleaved with other layer paths: no per-row I/O counters. */
    BenchResult summarize(ModelDescription model, int threads, String test, int nTokens, java.util.List<Run> runs) {
        return summarize(model, threads, test, nTokens, runs, null);
    }

    private BenchResult summarize(ModelDescription model, int threads, String test, int nTokens, java.util.List<Run> runs, IoBaseline base) {
        double[] rates = new double[runs.size()];
        ForwardStats total = new ForwardStats();
        long nanos = 0;
        for (int r = 0; r < runs.size(); r++) {
            Run run = runs.get(r);
            rates[r] = run.tokensPerSecond();
            total.add(run.stats);
            nanos += run.nanos;
            log.measurement(model.label(), "strata", kernels(), threads, test, r, run.stats.tokens, run.nanos,
                    run.stats.weightBytes, run.stats.multiplyAdds);
        }
        double perToken = Math.max(1, total.tokens);
        MemoryReport memory = base == null ? null
                : memoryReport(base.streaming(), base.before(), total, nanos, ResidentMemory.storageReadBytes() - base.storage(), perToken);
        return new BenchResult(model.label(), model.sizeBytes(), model.params(), "strata", kernels(), threads, test, nTokens,
                rates, total.weightBytes / perToken, total.multiplyAdds / perToken, null, layers, memory);
    }

    private static MemoryReport memoryReport(StreamingWeightStore s, StreamingStats.Snapshot before, ForwardStats total, long nanos,
                                             long storageBytes, double perToken) {
        long rss = ResidentMemory.current(), peak = ResidentMemory.peak();
        double storageMb = storageBytes < 0 ? Double.NaN : storageBytes / 1e6 / perToken;
        if (s == null) {
            return new MemoryReport("mmap", null, null, null, null, null, null, storageMb, null, null, null, null, null, null,
                    nanos / 1e6 / perToken, null, null, rss, peak, ResidentMemory.file(), ResidentMemory.anonymous(), ResidentMemory.hugePages());
        }
        StreamingStats.Snapshot d = s.stats().minus(before);
        var o = s.options();
        return new MemoryReport("stream", o.policy().name().toLowerCase(java.util.Locale.ROOT), s.packed(), o.prefetch(), o.directIo(),
                o.budgetBytes(), s.cacheBytes(), storageMb, d.bytesRead() / 1e6 / perToken, d.hitRate(), d.hitRatePerLayer(),
                d.expertsTouched(), d.readNanos() / 1e6 / perToken, d.waitNanos() / 1e6 / perToken,
                (nanos - d.waitNanos()) / 1e6 / perToken, d.prefetchIssued(), d.prefetchUsed(), rss, peak, ResidentMemory.file(),
                ResidentMemory.anonymous(), ResidentMemory.hugePages());
    }

    public String kernels() {
        return kernelsLabel(engine.kernels());
    }

    /** The kernel set, with the native level: "native-avx512vnni", "panama". */
    public static String kernelsLabel(dev.strata.tensor.KernelProvider kernels) {
        return kernels instanceof dev.strata.tensor.NativeKernels n ? "native-" + n.level().label() : kernels.name();
    }

    Run runPrompt(int[] tokens) {
        Sequence seq = engine.newSequence(layers, expertsPerToken, tokens.length);
        ForwardStats stats = new ForwardStats();
        long t0 = System.nanoTime();
        engine.forward().forward(seq, tokens, false, stats);
        return new Run(System.nanoTime() - t0, stats);
    }

    /** tokens[0] is the untimed prompt; each later token is one timed decode step. */
    Run runGeneration(int[] tokens) {
        Sequence seq = engine.newSequence(layers, expertsPerToken, tokens.length);
        engine.forward().forward(seq, new int[] {tokens[0]}, false, new ForwardStats());
        ForwardStats stats = new ForwardStats();
        long t0 = System.nanoTime();
        for (int i = 1; i < tokens.length; i++) engine.forward().forward(seq, new int[] {tokens[i]}, false, stats);
        return new Run(System.nanoTime() - t0, stats);
    }

    /** Random valid token ids from a fixed seed, so every backend and run sees the same batch. */
    public static int[] randomTokens(int count, int vocabSize) {
        return randomTokens(count, vocabSize, TOKEN_SEED);
    }

    static int[] randomTokens(int count, int vocabSize, long seed) {
        Random random = new Random(seed);
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) ids[i] = random.nextInt(vocabSize);
        return ids;
    }

    int[] randomTokens(int count) {
        return randomTokens(count, engine.model().config().vocabSize());
    }
}
