package dev.strata.runtime;

import dev.strata.tensor.quant.ActivationQuantizer;
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

    /**
     * One matmul in flight, handed to the pool without a capturing lambda per call: up to three
     * matrices that read the same activations, their rows laid end to end so one pass covers all.
     */
    final class Job implements WorkerPool.RangeTask {
        private final Tensor[] w = new Tensor[3];
        private final float[][] out = new float[3][];
        private int count;
        private Activations a;

        @Override
        public void run(int start, int end) {
            for (int i = 0, offset = 0; i < count && offset < end; offset += (int) w[i].rows(), i++) {
                int rows = (int) w[i].rows(), lo = Math.max(start - offset, 0), hi = Math.min(end - offset, rows);
                if (lo < hi) kernels.matmul(w[i], a, out[i], rows, lo, hi);
            }
        }

        private void set(int i, Tensor t, float[] o) {
            w[i] = t;
            out[i] = o;
        }

        private void clear() {
            for (int i = 0; i < 3; i++) set(i, null, null);
            a = null;
        }
    }

    /**
     * gate = silu(gate) * up, element-wise, split across the pool when long enough: prefill's
     * hidden rows (512 x 8192 per layer on a 1B model) otherwise leave every worker idle while
     * the caller computes one exp per element. Elements are independent, so the bits never change.
     */
    final class SiluJob implements WorkerPool.RangeTask {
        private float[] gate, up;

        @Override
        public void run(int start, int end) {
            kernels.siluMul(gate, start, up, start, end - start);
        }

        void apply(float[] gate, float[] up, int count) {
            if (count < SERIAL_SILU) {
                kernels.siluMul(gate, 0, up, 0, count);
                return;
            }
            this.gate = gate;
            this.up = up;
            try {
                pool.forRange(count, this);
            } finally {
                this.gate = null;
                this.up = null;
            }
        }
    }

    /** Converts activation rows across the pool (blocks are independent: the bits do not change). */
    final class PrepareJob implements WorkerPool.RangeTask {
        private float[] x;
        private Activations a;

        @Override
        public void run(int start, int end) {
            ActivationQuantizer.fillRows(a, x, start, end);
        }

        void apply(float[] x, Activations a) {
            this.x = x;
            this.a = a;
            try {
                pool.forRange(a.nTokens, this);
            } finally {
                this.x = null;
                this.a = null;
            }
        }
    }

    /** Rows from which a matmul's activations are converted across the pool rather than by the caller. */
    static final int PARALLEL_PREPARE_ROWS = 8;

    /** Elements below which silu stays on the caller (a decode step's 8192 cost less than a wake-up). */
    static final int SERIAL_SILU = 1 << 16;

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

    /**
     * run(w0, x, .., o0), run(w1, ...) and, when w2 is not null, run(w2, ...) as one: the matrices
     * read the same x (q/k/v, gate/up), so it is converted once and one pool pass (one wake-up and
     * one wait instead of two or three) covers their rows. Same bits as separate runs: rows are
     * independent and each keeps its kernel. Mixed types or a batch that needs the row-dot split
     * run one by one.
     */
    void runShared(Tensor w0, float[] o0, Tensor w1, float[] o1, Tensor w2, float[] o2, float[] x, int n,
                   ForwardStats stats, Workspace ws, int[] owners) {
        int tiled = owners == null ? n : tiledRows(owners, n);
        boolean same = w1.type() == w0.type() && w1.cols() == w0.cols()
                && (w2 == null || (w2.type() == w0.type() && w2.cols() == w0.cols()));
        if (!same || (tiled != n && tiled != 0)) {
            run(w0, x, n, o0, stats, ws, owners);
            run(w1, x, n, o1, stats, ws, owners);
            if (w2 != null) run(w2, x, n, o2, stats, ws, owners);
            return;
        }
        Job job = ws.matmul;
        job.set(0, w0, o0);
        job.set(1, w1, o1);
        job.set(2, w2, o2);
        job.count = w2 == null ? 2 : 3;
        try {
            multiply(job, x, n, stats, ws, tiled == 0);
        } finally {
            job.clear();
        }
        for (int i = 0; i < job.w.length; i++) {
            Tensor w = i == 0 ? w0 : i == 1 ? w1 : w2;
            if (w != null) stats.multiplyAdds += w.rows() * w.cols() * n;
        }
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
        Job job = ws.matmul;
        job.set(0, w, out);
        job.count = 1;
        try {
            multiply(job, x, n, stats, ws, rowDots);
        } finally {
            job.clear();
        }
    }

    /** The job's matrices (same type and columns) times x, rows split across the pool. */
    private void multiply(Job job, float[] x, int n, ForwardStats stats, Workspace ws, boolean rowDots) {
        Tensor first = job.w[0];
        int cols = first.cols(), rows = 0;
        for (int i = 0; i < job.count; i++) {
            rows += (int) job.w[i].rows();
            stats.weightBytes += job.w[i].data().byteSize();
        }
        ws.activations.rowDots = rowDots;
        if (n >= PARALLEL_PREPARE_ROWS && kernels.preparesByRows(first.type())) {
            job.a = ActivationQuantizer.shapeInto(ws.activations, first.type(), x, n, cols);
            ws.prepare.apply(x, job.a);
        } else {
            job.a = kernels.prepareInto(ws.activations, first.type(), x, n, cols);
        }
        if ((long) rows * cols * n < SERIAL_WORK) job.run(0, rows);
        else pool.forChunks(rows, grain(rows), job);
    }

    /** Rows per claimed piece: whole 16-row groups (the repacked layout), about PIECES_PER_THREAD pieces a thread. */
    private int grain(int rows) {
        int g = rows / (pool.threads() * PIECES_PER_THREAD);
        return Math.max(16, (g + 15) / 16 * 16);
    }

    /** Few enough that each piece's fixed costs stay small, enough that a preempted thread's share is taken over. */
    static final int PIECES_PER_THREAD = 4;

    KernelProvider kernels() {
        return kernels;
    }

    WorkerPool pool() {
        return pool;
    }
}
