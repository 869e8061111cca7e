package dev.strata.weights;

import dev.strata.StrataException;
import dev.strata.gguf.GgufFile;
import dev.strata.model.ExpertNames;
import dev.strata.model.ExpertWeights;
import dev.strata.model.ModelConfig;
import dev.strata.tensor.KernelProvider;
import dev.strata.tensor.Tensor;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Non-expert weights stay memory-mapped; MoE experts are read on demand with positional reads
 * into a bounded {@link ExpertCache}. The expert pages of the mapping are never touched, so they
 * never become resident. The forward pass sees the same tensors (same bytes) as with a mapped store.
 */
public final class StreamingWeightStore implements WeightStore {
    private final GgufFile file;
    private final StreamingOptions options;
    private final ExpertFile expertFile;
    private final ExecutorService io;
    private final ExpertLayout layout;
    private final ExpertCache cache;
    private final long residentWeightBytes;
    private final RepackedWeights repacked;

    public StreamingWeightStore(GgufFile file, StreamingOptions options) {
        this(file, options, null);
    }

    /** As {@link #StreamingWeightStore(GgufFile, StreamingOptions)}, the resident matmul weights repacked for these kernels as a mapped store would. */
    public StreamingWeightStore(GgufFile file, StreamingOptions options, KernelProvider kernels) {
        this.file = file;
        this.options = options;
        ModelConfig c = ModelConfig.fromGguf(file);
        if (!c.isMoe()) throw new StrataException("--memory-budget streams MoE experts; " + file.name() + " is a dense model");
        this.layout = new ExpertLayout(file, c.blockCount(), c.expertCount(), options.directIo());
        long nonExpert = 0;
        for (Tensor t : file.tensors().values()) nonExpert += t.data().byteSize();
        this.residentWeightBytes = nonExpert - layout.expertBytes();
        long cacheBytes = options.budgetBytes() - residentWeightBytes;
        if (cacheBytes < layout.slotBytes()) {
            throw new StrataException(String.format("memory budget %s is too small: the non-expert weights take %s and one expert %s",
                    mib(options.budgetBytes()), mib(residentWeightBytes), mib(layout.slotBytes())));
        }
        this.expertFile = ExpertFile.open(file.path(), file.name(), options.directIo(), options.readAdvice());
        this.io = Executors.newFixedThreadPool(options.ioThreads(), r -> {
            Thread t = new Thread(r, "strata-expert-io");
            t.setDaemon(true);
            return t;
        });
        this.cache = new ExpertCache(layout, expertFile, io, options.policy(), cacheBytes, new StreamingStats(c.blockCount()));
        this.repacked = new RepackedWeights(file, kernels, true);
    }

    @Override
    public Tensor matmulWeight(Tensor t) {
        return repacked.of(t);
    }

    /** The smallest budget that gives this file an expert cache of {@code slots} experts. */
    public static long budgetForSlots(GgufFile file, boolean directIo, int slots) {
        ModelConfig c = ModelConfig.fromGguf(file);
        ExpertLayout layout = new ExpertLayout(file, c.blockCount(), c.expertCount(), directIo);
        long all = 0;
        for (Tensor t : file.tensors().values()) all += t.data().byteSize();
        return all - layout.expertBytes() + slots * layout.slotBytes();
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }

    @Override
    public Tensor tensor(String name) {
        return file.tensor(name);
    }

    /** Unpinned access is unsafe with a bounded cache; forward passes use {@link #acquireExpert}. */
    @Override
    public Tensor expert(int layer, String kind, int expert) {
        throw new UnsupportedOperationException("a streaming store hands out experts only through acquireExpert");
    }

    @Override
    public ExpertWeights acquireExpert(int layer, int expert) {
        return cache.acquire(layer, expert);
    }

    @Override
    public boolean prefetches() {
        return options.prefetch();
    }

    @Override
    public void prefetch(int layer, int[] experts) {
        cache.prefetch(layer, experts);
    }

    @Override
    public GgufFile file() {
        return file;
    }

    public StreamingOptions options() { return options; }
    public StreamingStats.Snapshot stats() { return cache.snapshot(); }
    /** Bytes of the mapped non-expert weights. */
    public long residentWeightBytes() { return residentWeightBytes; }
    /** Bytes reserved for cached experts (at most the budget minus the resident weights). */
    public long cacheBytes() { return cache.capacityBytes(); }
    public int cacheSlots() { return cache.slots(); }
    public boolean packed() { return ExpertNames.isPacked(file); }
    int pinned() { return cache.pinned(); }

    @Override
    public void close() {
        io.shutdown();
        try {
            io.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cache.close();
        repacked.close();
        try {
            expertFile.close();
        } catch (IOException ignored) {
            // closing a read-only file cannot lose data
        }
        file.close();
    }
}
