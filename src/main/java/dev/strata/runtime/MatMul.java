package dev.strata.runtime;

import dev.strata.tensor.quant.Activations;
import dev.strata.tensor.KernelProvider;
import dev.strata.tensor.Tensor;

/** Batched matmul over the worker pool: activations are converted once, rows split across threads. */
final class MatMul {
    /**
     * Multiply-adds below which handing rows to the pool costs more than it saves (a wake-up and a
     * latch per call; stories260K decode matmuls are all below it). Rows are independent, so
     * the split never changes the bits.
     */
    private static final long SERIAL_WORK = 1L << 18;

    private final KernelProvider kernels;
    private final WorkerPool pool;

    MatMul(KernelProvider kernels, WorkerPool pool) {
        this.kernels = kernels;
        this.pool = pool;
    }

    /** out[t*rows + r] = w[r] . x[t*cols ..] for t < n. */
    void run(Tensor w, float[] x, int n, float[] out, ForwardStats stats) {
        int cols = w.cols();
        int rows = (int) w.rows();
        Activations a = kernels.prepare(w.type(), x, n, cols);
        if ((long) rows * cols * n < SERIAL_WORK) kernels.matmul(w, a, out, rows, 0, rows);
        else pool.forRange(rows, (s, e) -> kernels.matmul(w, a, out, rows, s, e));
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
