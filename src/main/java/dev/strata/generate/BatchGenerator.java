package dev.strata.generate;

import dev.strata.StrataException;
import dev.strata.runtime.Batch;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;
import dev.strata.runtime.WorkerPool;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Many generations in lock-step: each {@link #step()} is one forward pass over every active
 * request, one token each for those decoding, plus prompt chunks of those still prefilling (at
 * most {@code ubatch} prompt tokens per step, shared in arrival order, so a long prompt does not
 * stall the others). Requests may be submitted from any thread and join at the next step; a
 * cancelled request leaves at the next step. Meant to be driven by one decode thread: the server's
 * continuous batching and the evaluation harness loop on {@code step()}.
 *
 * <p>Each request sees exactly what {@link Generator#generate} would do with it: same sampling
 * chain, stop strings, limits and text. Its tokens equal a lone run's, and its logits too where the
 * prompt is prefilled in one chunk (see {@code MatMul} on batch invariance).
 */
public final class BatchGenerator {

    /**
     * One generation to run: its sequence, what to generate, where text goes, and when to stop early.
     * {@code threadSafe}: onText and cancelled may be called from a worker thread (never two at once
     * for one request), so a step advances such requests across the pool: the server's hand-off of
     * each token to its request thread then costs the step half the time on two threads.
     */
    public record Request(Sequence sequence, GenerationRequest request, Consumer<String> onText, BooleanSupplier cancelled,
                          boolean threadSafe) {
        public Request {
            if (onText == null) onText = s -> {};
            if (cancelled == null) cancelled = () -> false;
        }

        /** Callbacks called on the stepping thread only. */
        public Request(Sequence sequence, GenerationRequest request, Consumer<String> onText, BooleanSupplier cancelled) {
            this(sequence, request, onText, cancelled, false);
        }
    }

    private final Engine engine;
    private final int ubatch;
    private final ForwardStats stats = new ForwardStats();
    private final Queue<BatchSlot> joining = new ConcurrentLinkedQueue<>();
    private final List<BatchSlot> active = new ArrayList<>();
    private final List<BatchSlot> inBatch = new ArrayList<>();
    private final Batch batch = new Batch();
    private volatile long steps, stepSequences;
    /** Advances the step's slots across the worker pool, when every one of them takes its text on any thread. */
    private final WorkerPool.RangeTask advancer = this::advance;

    /** ubatch: prompt tokens fed per step at most, over all prefilling requests (llama.cpp's -ub). */
    public BatchGenerator(Engine engine, int ubatch) {
        if (ubatch < 1) throw new StrataException("ubatch must be at least 1, got " + ubatch);
        this.engine = engine;
        this.ubatch = ubatch;
    }

    /** Queues a request; it joins at the next step. Thread-safe. */
    public Handle submit(Request r) {
        int[] prompt = r.request().promptTokens();
        if (prompt.length == 0) throw new StrataException("the prompt is empty");
        int ctx = r.sequence().cache().contextLength();
        if (r.sequence().position() + prompt.length > ctx) {
            throw new StrataException("the prompt (" + prompt.length + " tokens) does not fit the context size of " + ctx + " (raise it with -c)");
        }
        BatchSlot s = new BatchSlot(engine, r);
        joining.add(s);
        return s.handle;
    }

    /** Whether any request is queued or running. */
    public boolean busy() {
        return !joining.isEmpty() || !active.isEmpty();
    }

    /** Forward passes run, and the requests they carried in all (their ratio is the mean batch size). */
    public long steps() {
        return steps;
    }

    public long stepSequences() {
        return stepSequences;
    }

    /** Counters of every forward pass this generator ran. Read from the decode thread. */
    public ForwardStats stats() {
        return stats;
    }

    /**
     * One lock-step: admits queued requests, drops cancelled ones, runs one forward pass over the
     * rest and samples a token for every request whose prompt is done. Returns whether work remains.
     */
    public boolean step() {
        for (BatchSlot s; (s = joining.poll()) != null; ) active.add(s);
        for (int i = active.size() - 1; i >= 0; i--) {
            BatchSlot s = active.get(i);
            if (s.finished() || (s.cancelledNow() && s.finish(FinishReason.CANCELLED))) active.remove(i);
        }
        if (active.isEmpty()) return false;
        batch.clear();
        inBatch.clear();
        int budget = ubatch;
        for (BatchSlot s : active) {
            if (s.prefilled()) {
                batch.add(s.sequence(), s.pending, 0, 1, false);
                inBatch.add(s);
            } else if (budget > 0) {
                int n = Math.min(budget, s.promptLeft());
                if (s.fed == 0) s.startedAt = System.nanoTime();
                batch.add(s.sequence(), s.prompt(), s.fed, n, false);
                s.fed += n;
                budget -= n;
                inBatch.add(s);
            }
        }
        engine.forward().forward(batch, stats);
        steps++;
        stepSequences += inBatch.size();
        boolean together = inBatch.size() > 1;
        for (int i = 0; i < inBatch.size() && together; i++) together = inBatch.get(i).threadSafe();
        if (together) engine.pool().forRange(inBatch.size(), advancer);
        else advance(0, inBatch.size());
        for (int i = active.size() - 1; i >= 0; i--) if (active.get(i).finished()) active.remove(i);
        return busy();
    }

    private void advance(int start, int end) {
        for (int i = start; i < end; i++) {
            BatchSlot s = inBatch.get(i);
            if (s.prefilled()) s.advance(batch.get(i).logits(), engine.model().config().vocabSize());
        }
    }

    /** Runs every request to its end, in batches, and returns the results in request order. */
    public List<GenerationResult> generateAll(List<Request> requests) {
        List<Handle> handles = new ArrayList<>();
        for (Request r : requests) handles.add(submit(r));
        while (step()) {
            // lock-step until every request has finished
        }
        List<GenerationResult> results = new ArrayList<>();
        for (Handle h : handles) results.add(h.result());
        return results;
    }

    /**
     * Ends every queued and running request with {@code cause} (their handles rethrow it), after a
     * step failed or when the generator is shut down. Call from the decode thread.
     */
    public void abortAll(RuntimeException cause) {
        for (BatchSlot s; (s = joining.poll()) != null; ) active.add(s);
        for (BatchSlot s : active) s.handle.fail(cause);
        active.clear();
    }

    /** A submitted request's outcome, available once it has finished. */
    public static final class Handle {
        private volatile GenerationResult result;
        private volatile RuntimeException failure;
        private volatile Runnable whenDone;

        public boolean done() {
            return result != null || failure != null;
        }

        /**
         * Runs {@code action} once the request has finished or failed: on the decode thread that ends it, or at
         * once here if it already has (it may then run twice, so it must be idempotent). Lets a waiting
         * thread block without polling.
         */
        public void whenDone(Runnable action) {
            whenDone = action;
            if (done()) action.run();
        }

        /** The result, or null while the request is running; rethrows what aborted the request. */
        public GenerationResult result() {
            if (failure != null) throw failure;
            return result;
        }

        void complete(GenerationResult r) {
            result = r;
            signal();
        }

        void fail(RuntimeException cause) {
            if (result == null) failure = cause;
            signal();
        }

        private void signal() {
            Runnable action = whenDone;
            if (action != null) action.run();
        }
    }
}
