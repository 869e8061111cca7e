package dev.strata.runtime;

import dev.strata.gguf.GgufFile;
import dev.strata.gguf.LoadOptions;
import dev.strata.weights.StreamingOptions;
import dev.strata.weights.StreamingWeightStore;
import dev.strata.weights.Model;
import dev.strata.tensor.KernelProvider;
import dev.strata.tensor.Kernels;
import dev.strata.tokenizer.ChatTemplate;
import dev.strata.tokenizer.Tokenizer;
import java.nio.file.Path;
import dev.strata.model.LayerPath;

/**
 * A loaded model ready to run: weights, tokenizer, chat template, kernels and the worker pool.
 * Thread-safe: every request gets its own {@link Sequence}, all share the weights.
 */
public final class Engine implements AutoCloseable {
    private final Path path;
    private final Model model;
    private final Tokenizer tokenizer;
    private final ChatTemplate chatTemplate;
    private final KernelProvider kernels;
    private final WorkerPool pool;
    private final Forward forward;
    private final KvPagePool kvPages;
    private volatile int maxPlanSteps;

    private Engine(Path path, Model model, KernelProvider kernels, int threads) {
        this.path = path;
        this.model = model;
        this.kernels = kernels;
        this.tokenizer = Tokenizer.fromGguf(model.store().file());
        var v = tokenizer.vocab();
        this.chatTemplate = ChatTemplate.fromGguf(model.store().file(), text(v, v.bos()), text(v, v.eos()));
        this.pool = new WorkerPool(threads);
        this.forward = new Forward(model, kernels, pool);
        this.kvPages = new KvPagePool(2L * KvCache.PAGE * model.config().kvDim());
    }

    private static String text(dev.strata.tokenizer.Vocabulary v, int id) {
        return id >= 0 && id < v.size() ? v.text(id) : "";
    }

    public static Engine open(Path model, int threads, String kernelName) {
        return open(model, threads, kernelName, null);
    }

    /** With {@code streaming} set, MoE experts are read from disk into a bounded cache (see dev.strata.weights). */
    public static Engine open(Path model, int threads, String kernelName, StreamingOptions streaming) {
        return open(model, threads, kernelName, streaming, LoadOptions.DEFAULT);
    }

    /** With {@code loading}, the weights are mapped (the default) or read into memory (--no-mmap), and optionally locked. */
    public static Engine open(Path model, int threads, String kernelName, StreamingOptions streaming, LoadOptions loading) {
        KernelProvider k = Kernels.select(kernelName);
        Model m = streaming == null ? Model.load(model, k, loading) : loadStreaming(model, k, streaming, loading);
        return of(model, m, k, threads);
    }

    /** An engine over a model the caller loaded, e.g. with weights converted in memory; the engine closes it. */
    public static Engine of(Path path, Model model, KernelProvider kernels, int threads) {
        try {
            return new Engine(path, model, kernels, threads);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static Model loadStreaming(Path path, KernelProvider k, StreamingOptions options, LoadOptions loading) {
        GgufFile f = GgufFile.open(path, loading);
        StreamingWeightStore store;
        try {
            store = new StreamingWeightStore(f, options, k);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
        try {
            return Model.load(store, k);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * A new request state, its KV pages from this engine's pool (see {@link KvPagePool}): {@link Sequence#release}
     * hands them to the next one. layers may be null (the model's own path); expertsPerToken 0 = the model's.
     */
    public Sequence newSequence(String layers, int expertsPerToken, int contextLength) {
        var c = model.config();
        ExecutionPlan plan = layers == null || layers.isBlank()
                ? ExecutionPlan.identity(c.blockCount())
                : ExecutionPlan.ofPath(LayerPath.parse(layers, c.blockCount(), maxPlanSteps()));
        if (expertsPerToken != 0 && (!c.isMoe() || expertsPerToken < 1 || expertsPerToken > c.expertCount())) {
            throw new dev.strata.StrataException(c.isMoe()
                    ? "experts per token must be 1.." + c.expertCount() + ", got " + expertsPerToken
                    : "--experts-per-token needs a mixture-of-experts model; this one is dense");
        }
        int ctx = contextLength > 0 ? contextLength : Math.min(c.contextLength(), 4096);
        return new Sequence(c, plan, ctx, expertsPerToken, kvPages);
    }

    /** The longest layer path a sequence may run (--max-plan-steps); 0 restores the default, 4x the layer count. */
    public Engine limitPlanSteps(int steps) {
        if (steps < 0) throw new dev.strata.StrataException("--max-plan-steps must be >= 1, got " + steps);
        this.maxPlanSteps = steps;
        return this;
    }

    public int maxPlanSteps() {
        return maxPlanSteps > 0 ? maxPlanSteps : LayerPath.defaultMaxSteps(model.config().blockCount());
    }

    public Path path() { return path; }
    public Model model() { return model; }
    public Tokenizer tokenizer() { return tokenizer; }
    public ChatTemplate chatTemplate() { return chatTemplate; }
    public KernelProvider kernels() { return kernels; }
    public WorkerPool pool() { return pool; }
    public Forward forward() { return forward; }
    public KvPagePool kvPages() { return kvPages; }

    @Override
    public void close() {
        pool.close();
        model.close();
        kvPages.close();
    }
}
