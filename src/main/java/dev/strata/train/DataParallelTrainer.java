package dev.strata.train;

import dev.strata.StrataException;
import dev.strata.train.model.PackedWeights;
import dev.strata.train.model.ParameterLayout;
import dev.strata.train.model.StepTimes;
import dev.strata.train.model.TransformerModel;
import dev.strata.train.model.Workspace;
import dev.strata.train.optim.AdamW;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One optimisation step over a batch, split across worker threads by sequence: each worker runs
 * forward and backward into its own gradient buffer, {@code microBatch} sequences at a time so that
 * activations stay in cache, then the buffers are summed in worker order
 * (parallel over parameter ranges, but each element always summed w0 + w1 + ...), so a run is
 * bit-reproducible for a given thread count. Then global-norm clipping and AdamW.
 */
public final class DataParallelTrainer implements AutoCloseable {
    public record StepResult(double loss, double gradNorm) {}

    private final TransformerModel model;
    private final int seqLen;
    private final int microBatch;
    private final int[] workerFirstSeq;
    private final Workspace[] workers;
    private final float[] grad;
    private final AdamW optimizer;
    private final ExecutorService pool;
    private final PackedWeights packedWeights;

    public DataParallelTrainer(TransformerModel model, int batch, int seqLen, int threads, int microBatch,
                               int maxPathLength, float weightDecay) {
        if (threads < 1 || microBatch < 1) throw new StrataException("threads and micro-batch must be at least 1");
        if (batch < threads) throw new StrataException("batch " + batch + " is smaller than the thread count " + threads);
        this.model = model;
        this.seqLen = seqLen;
        this.microBatch = microBatch;
        workers = new Workspace[threads];
        workerFirstSeq = new int[threads + 1];
        for (int w = 0; w < threads; w++) {
            workerFirstSeq[w + 1] = (int) ((long) batch * (w + 1) / threads);
            int sequences = workerFirstSeq[w + 1] - workerFirstSeq[w];
            workers[w] = model.newWorkspace(Math.min(microBatch, sequences), seqLen, maxPathLength);
        }
        grad = new float[model.params().length];
        optimizer = new AdamW(grad.length, decayMask(model.layout()), 0.9f, 0.95f, 1e-8f, weightDecay);
        pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "strata-train-worker");
            t.setDaemon(true);
            return t;
        });
        packedWeights = new PackedWeights(model.layout());
        repack();
        model.usePackedWeights(packedWeights);
    }

    /** Re-packs the weight matrices for the GEMM after the parameters changed, one share per thread. */
    private void repack() {
        float[] params = model.params();
        List<Callable<Double>> jobs = new ArrayList<>();
        for (int part = 0; part < workers.length; part++) {
            int p = part;
            jobs.add(() -> {
                packedWeights.pack(params, p, workers.length);
                return 0.0;
            });
        }
        for (Future<Double> f : invokeAll(jobs)) get(f);
    }

    private static boolean[] decayMask(ParameterLayout layout) {
        boolean[] mask = new boolean[layout.totalSize()];
        for (ParameterLayout.Slice s : layout.slices())
            if (!s.isNorm()) Arrays.fill(mask, s.offset(), s.offset() + s.size(), true);
        return mask;
    }

    /** Forward, backward, clip to maxGradNorm (≤ 0: no clipping) and update with learning rate lr. */
    public StepResult step(int[] tokens, int[] targets, int[] path, float lr, float maxGradNorm) {
        double loss = computeGradients(tokens, targets, path, true);
        double norm = reduceGradients();
        float clip = maxGradNorm > 0 && norm > maxGradNorm ? (float) (maxGradNorm / norm) : 1f;
        optimizer.advance();
        float[] params = model.params();
        runChunked((from, to) -> {
            optimizer.update(params, grad, clip, lr, from, to);
            return 0.0;
        });
        repack();
        return new StepResult(loss, norm);
    }

    /** Mean masked cross-entropy, without the MoE balancing term, leaving parameters and gradients alone. */
    public double loss(int[] tokens, int[] targets, int[] path) {
        return computeGradients(tokens, targets, path, false);
    }

    private double computeGradients(int[] tokens, int[] targets, int[] path, boolean backward) {
        int counted = 0;
        for (int i = 0; i < workerFirstSeq[workers.length] * seqLen; i++) if (targets[i] >= 0) counted++;
        float lossWeight = counted == 0 ? 0f : 1f / counted;
        int totalSeqs = workerFirstSeq[workers.length];
        List<Callable<Double>> jobs = new ArrayList<>();
        for (int w = 0; w < workers.length; w++) {
            Workspace ws = workers[w];
            int firstSeq = workerFirstSeq[w], endSeq = workerFirstSeq[w + 1];
            jobs.add(() -> {
                if (backward) Arrays.fill(ws.grad, 0f);
                double l = 0;
                for (int s = firstSeq; s < endSeq; s += microBatch) {
                    int e = Math.min(endSeq, s + microBatch);
                    int[] tok = Arrays.copyOfRange(tokens, s * seqLen, e * seqLen);
                    int[] tgt = Arrays.copyOfRange(targets, s * seqLen, e * seqLen);
                    float auxWeight = backward ? (e - s) / (float) totalSeqs : 0f;
                    l += model.forward(ws, tok, tgt, path, lossWeight, auxWeight);
                    if (backward) model.backward(ws);
                }
                return l;
            });
        }
        double loss = 0;
        for (Future<Double> f : invokeAll(jobs)) loss += get(f);
        return loss;
    }

    /** grad = Σ_w worker grads in worker order; returns the global L2 norm. */
    private double reduceGradients() {
        double sumSq = runChunked((from, to) -> {
            double s = 0;
            for (int i = from; i < to; i++) {
                float g = 0;
                for (Workspace ws : workers) g += ws.grad[i];
                grad[i] = g;
                s += (double) g * g;
            }
            return s;
        });
        return Math.sqrt(sumSq);
    }

    private interface RangeJob {
        double run(int from, int to);
    }

    /** Runs job over one fixed parameter range per thread and sums the results in range order. */
    private double runChunked(RangeJob job) {
        int n = grad.length, parts = workers.length;
        List<Callable<Double>> jobs = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) n * p / parts), to = (int) ((long) n * (p + 1) / parts);
            jobs.add(() -> job.run(from, to));
        }
        double total = 0;
        for (Future<Double> f : invokeAll(jobs)) total += get(f);
        return total;
    }

    private List<Future<Double>> invokeAll(List<Callable<Double>> jobs) {
        try {
            return pool.invokeAll(jobs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException("training interrupted");
        }
    }

    private static double get(Future<Double> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException("training interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            throw new StrataException("training worker failed: " + cause, cause);
        }
    }

    /** Seconds the workers spent in each timed part of forward and backward since the last {@link #resetTimes()}. */
    public StepTimes.Seconds partSeconds() {
        return StepTimes.sum(Arrays.stream(workers).map(w -> w.times).toList());
    }

    public void resetTimes() {
        for (Workspace w : workers) w.times.reset();
    }

    /** The summed, clipped gradient of the last step. */
    float[] gradient() {
        return grad;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    public TransformerModel model() {
        return model;
    }

    public int threads() {
        return workers.length;
    }

    @Override
    public void close() {
        model.usePackedWeights(null);
        pool.shutdownNow();
    }
}
