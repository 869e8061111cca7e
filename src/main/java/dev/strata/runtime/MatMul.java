package dev.strata.runtime;

import dev.strata.tensor.quant.Activations;
import dev.strata.tensor.KernelProvider;
import dev.strata.tensor.Kernels;
import dev.strata.tensor.Tensor;

/**
 * Batched matmul over the worker pool: activations are converted once into the workspace's
 * reusable buffers, rows split across threads. All rows of a batch pass through one call, so each
 * weight matrix is read once per step however many sequences the batch holds.
 *
 * <p>Batch invariance: a kernel may sum in another order once a call has enough rows to tile
 * ({@link Kernels#TILED_MIN_ROWS}). A row must get the bits it gets when its sequence runs alone,
 * so the choice follows each sequence's own row count: rows of sequences with that many rows in
 * this call tile, the others are forced onto the per-row dots, in two kernel calls if mixed.
 */
final class MatMul {
    /**
     * Multiply-adds below which handing rows to the pool costs more than it saves (a wake-up per
     * call; stories260K decode matmuls are all below it). Rows are independent, so the split never
     * changes the bits.
     */
    static final long SERIAL_WORK = 1L << 18;

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

    /**
     * out[t*rows + r] = w[r] . x[t*cols ..] for t < n. owners[t] names the sequence of row t (equal
     * owners are contiguous); null means one sequence.
     */
    void run(Tensor w, float[] x, int n, float[] out, ForwardStats stats, Workspace ws, int[] owners) {
        int tiled = owners == null ? n : tiledRows(owners, n);
        if (tiled == n || tiled == 0) {
            multiply(w, x, n, out, stats, ws, tiled == 0);
        } else {
            split(w, x, n, out, stats, ws, owners);
        }
        stats.multiplyAdds += w.rows() * w.cols() * n;
    }

    /** Rows whose sequence has at least {@link Kernels#TILED_MIN_ROWS} rows in this call. */
    private static int tiledRows(int[] owners, int n) {
        int tiled = 0;
        for (int start = 0; start < n; ) {
            int end = start + 1;
            while (end < n && owners[end] == owners[start]) end++;
            if (end - start >= Kernels.TILED_MIN_ROWS) tiled += end - start;
            start = end;
        }
        return tiled;
    }

    /** Long runs and short runs gathered apart, multiplied separately, scattered back in place. */
    private void split(Tensor w, float[] x, int n, float[] out, ForwardStats stats, Workspace ws, int[] owners) {
        int cols = w.cols(), rows = (int) w.rows();
        float[] xs = ws.splitX = Workspace.grow(ws.splitX, n * cols), os = ws.splitOut = Workspace.grow(ws.splitOut, n * rows);
        for (int pass = 0; pass < 2; pass++) {
            boolean rowDots = pass == 1;
            int m = 0;
            for (int start = 0; start < n; ) {
                int end = start + 1;
                while (end < n && owners[end] == owners[start]) end++;
                if ((end - start < Kernels.TILED_MIN_ROWS) == rowDots) {
                    System.arraycopy(x, start * cols, xs, m * cols, (end - start) * cols);
                    m += end - start;
                }
                start = end;
            }
            multiply(w, xs, m, os, stats, ws, rowDots);
            m = 0;
            for (int start = 0; start < n; ) {
                int end = start + 1;
                while (end < n && owners[end] == owners[start]) end++;
                if ((end - start < Kernels.TILED_MIN_ROWS) == rowDots) {
                    System.arraycopy(os, m * rows, out, start * rows, (end - start) * rows);
                    m += end - start;
                }
                start = end;
            }
        }
    }

    private void multiply(Tensor w, float[] x, int n, float[] out, ForwardStats stats, Workspace ws, boolean rowDots) {
        int cols = w.cols();
        int rows = (int) w.rows();
        ws.activations.rowDots = rowDots;
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
    }

    KernelProvider kernels() {
        return kernels;
    }

    WorkerPool pool() {
        return pool;
    }
}
