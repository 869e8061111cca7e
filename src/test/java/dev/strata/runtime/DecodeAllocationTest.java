package dev.strata.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.strata.SharedData;
import dev.strata.weights.Model;
import dev.strata.tensor.KernelProvider;
import dev.strata.tensor.Kernels;
import java.lang.management.ManagementFactory;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decode loop allocates (almost) nothing: heap bytes allocated per decoded token, measured by
 * the JVM's per-thread allocation counters on the decoding thread and on every pool worker, after
 * a warm-up that lets the workspace grow and the JIT compile (for Panama: until a 10-step window
 * stays under a quarter of the bound, at most the case's warm-up steps). The fixtures' output matmuls are
 * large enough to go through the worker pool, so the pool's hand-off is measured too.
 *
 * <p>The scalar kernels create no objects, so with them the count is exactly what the runtime
 * (workspace, batch, pool, MoE routing) allocates, and the bound is a few hundred bytes. The
 * Panama kernels add Vector API boxes wherever C2 has not (yet) inlined a vector-typed call
 * (JFR shows LaneSum.of, axpy and halfToFloat): a JIT-state-dependent few KB per token after
 * warm-up (up to ~130 KB on a CPU-starved machine where C2 lags), so they get a bound that still
 * fails on a per-token logits row (600 KB for these fixtures, which the old decode loop allocated).
 * The native kernels, over repacked Q8_0 and Q4_0 weights, get the runtime's bound after a warm-up
 * long enough for C2: their vector code outside C (softmax and silu exp) is written so C2 boxes nothing,
 * and these cases caught a kernel-name String read per matmul call (930 bytes per token here,
 * about 600 KB/s in the server).
 */
class DecodeAllocationTest {
    /** Bytes per decoded token allowed for the runtime itself: a few objects' worth. */
    static final long BOUND = 256;
    /**
     * Panama: Vector API boxes allowed (how many depends on how far C2 has got: 5-310 KB per token seen),
     * per-token buffers not: the bound stays below one vocabulary-sized float row (151,936 x 4 = 593 KiB
     * for these models), which is what the old decode loop allocated for every token.
     */
    static final long PANAMA_BOUND = 512 * 1024;
    static final int MEASURED_STEPS = 20, WINDOW = 10, CONTEXT = 1024;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("qwen2-tiny-random", "scalar", 1, 10, BOUND),
                Arguments.of("qwen2-tiny-random", "scalar", 3, 10, BOUND),
                Arguments.of("qwen2moe-tiny-random", "scalar", 1, 10, BOUND),
                Arguments.of("qwen2moe-tiny-random", "scalar", 3, 10, BOUND),
                Arguments.of("qwen2-tiny-random", "panama", 4, 200, PANAMA_BOUND),
                Arguments.of("qwen2moe-tiny-random", "panama", 4, 200, PANAMA_BOUND),
                Arguments.of("stories260K-Q8_0", "native", 4, 5000, BOUND),
                Arguments.of("stories260K-Q4_0", "native", 4, 5000, BOUND));
    }

    @ParameterizedTest(name = "{0} {1} batch {2}")
    @MethodSource("cases")
    void decodeAllocatesAlmostNothingPerToken(String name, String kernels, int batchSize, int warmupSteps, long bound) {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        KernelProvider k = Kernels.select(kernels);
        try (Model m = Model.load(SharedData.model(name + ".gguf"), k); WorkerPool pool = new WorkerPool(2)) {
            Forward f = new Forward(m, k, pool);
            int vocab = m.config().vocabSize();
            Sequence[] seqs = new Sequence[batchSize];
            int[][] next = new int[batchSize][1];
            Batch batch = new Batch();
            for (int i = 0; i < batchSize; i++) {
                seqs[i] = new Sequence(m.config(), ExecutionPlan.identity(m.config().blockCount()), CONTEXT, 0);
                batch.add(seqs[i], new int[] {1 + i, 7 + i, 11 + i}, false);
            }
            ForwardStats stats = new ForwardStats();
            long[] ids = threadIds(pool);
            long[] before = new long[ids.length], after = new long[ids.length];
            for (int step = 0; step < warmupSteps; step += WINDOW) {
                allocated(mx, ids, before);
                decode(f, batch, seqs, next, stats, vocab, WINDOW);
                allocated(mx, ids, after);
                if (!kernels.equals("scalar") && sum(after) - sum(before) <= bound / 4 * WINDOW * batchSize) break;
            }
            allocated(mx, ids, before);
            decode(f, batch, seqs, next, stats, vocab, MEASURED_STEPS);
            allocated(mx, ids, after);
            long total = sum(after) - sum(before);
            long perToken = total / ((long) MEASURED_STEPS * batchSize);
            System.out.printf("DecodeAllocation %s %s batch %d: %d bytes per decoded token (%d threads)%n",
                    name, kernels, batchSize, perToken, ids.length);
            assertTrue(perToken <= bound, perToken + " bytes allocated per decoded token, bound " + bound);
        }
    }

    private static void decode(Forward f, Batch batch, Sequence[] seqs, int[][] next, ForwardStats stats, int vocab, int steps) {
        for (int step = 0; step < steps; step++) {
            // long warm-ups start over before the context fills (truncate keeps the cache: no allocation)
            for (Sequence s : seqs) if (s.position() >= CONTEXT - 1) s.truncate(3);
            f.forward(batch, stats);
            for (int i = 0; i < seqs.length; i++) next[i][0] = argmax(batch.get(i).logits(), vocab);
            batch.clear();
            for (int i = 0; i < seqs.length; i++) batch.add(seqs[i], next[i], false);
        }
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long v : a) s += v;
        return s;
    }

    private static void allocated(ThreadMXBean mx, long[] ids, long[] into) {
        for (int i = 0; i < ids.length; i++) into[i] = mx.getThreadAllocatedBytes(ids[i]);
    }

    private static long[] threadIds(WorkerPool pool) {
        long[] workers = pool.workerThreadIds();
        long[] ids = new long[workers.length + 1];
        ids[0] = Thread.currentThread().threadId();
        System.arraycopy(workers, 0, ids, 1, workers.length);
        return ids;
    }

    private static int argmax(float[] logits, int vocab) {
        int best = 0;
        for (int i = 1; i < vocab; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }
}
