package dev.strata.runtime;

import dev.strata.tensor.Activations;
import dev.strata.tensor.KernelProvider;
import dev.strata.tensor.Tensor;

/**
 * Batched matmul over the worker pool: activations are converted once into the workspace's
 * reusable buffers, rows split across threads. All rows of a batch pass through one call, so each
 * weight matrix is read once per step however many sequences the batch holds.
 */
final class MatMul {
    /**
     * Multiply-adds below which handing rows to the pool costs more than it saves (a wake-up per
     * call; stories260K decode matmuls are all below it). Rows are independent, so the split never
     * changes the bits.
     */
    private static final long SERIAL_WORK = 1L << 18;

    private final KernelProvider kernels;
    private final WorkerPool pool;

    /** One thread's matmul in flight, handed to the pool without a capturing lambda per call. */
    final class Job implements WorkerPool.RangeTask {
        private Tensor w;
        private Activations a;
        private float[] out;
        private int rows;

        @Override
        public void run(int start, int end) {
            kernels.matmul(w, a, out, rows, start, end);
        }
    }

    MatMul(KernelProvider kernels, WorkerPool pool) {
        this.kernels = kernels;
        this.pool = pool;
    }

    /** out[t*rows + r] = w[r] . x[t*cols ..] for t < n. */
    void run(Tensor w, float[] x, int n, float[] out, ForwardStats stats, Workspace ws) {
        int cols = w.cols();
        int rows = (int) w.rows();
        Activations a = kernels.prepareInto(ws.activations, w.type(), x, n, cols);
        if ((long) rows * cols * n < SERIAL_WORK) {
            kernels.matmul(w, a, out, rows, 0, rows);
        } else {
            Job job = ws.matmul;
            job.w = w;
            job.a = a;
            job.out = out;
            job.rows = rows;
            pool.forRange(rows, job);
            job.w = null;
            job.out = null;
        }
        stats.weightBytes += w.data().byteSize();
        stats.multiplyAdds += (long) rows * cols * n;
    }

    KernelProvider kernels() {
        return kernels;
    }

    WorkerPool pool() {
        return pool;
    }
}
