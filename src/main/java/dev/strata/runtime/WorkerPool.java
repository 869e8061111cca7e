package dev.strata.runtime;

import dev.strata.StrataException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine's one worker pool, sized by -t. Splits an index range into contiguous chunks; the
 * caller runs the first. Workers are persistent threads woken by a generation counter, so a call
 * allocates nothing (no latch, no task object): the decode loop runs hundreds of them per token.
 * One caller at a time uses the workers; a concurrent caller runs its whole range itself, which
 * gives the same bits because chunks never change a result.
 */
public final class WorkerPool implements AutoCloseable {

    @FunctionalInterface
    public interface RangeTask {
        void run(int start, int end);
    }

    /** Busy-wait rounds before parking: a matmul is often shorter than a park/unpark round trip. */
    private static final int SPINS = 2000;

    private final int threads;
    private final Thread[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger pending = new AtomicInteger();
    /** Odd while a job is being published, even once it is complete to read (a sequence lock). */
    private volatile int generation;
    private volatile RangeTask task;
    private volatile int size, chunks, grain;
    /** The next unclaimed index of a {@link #forChunks} call. */
    private final AtomicInteger next = new AtomicInteger();
    private volatile Thread caller;
    private volatile Throwable failure;
    private volatile boolean closed;

    public WorkerPool(int threads) {
        if (threads < 1) throw new StrataException("thread count must be at least 1, got " + threads);
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int index = i + 1;
            Thread t = new Thread(() -> work(index), "strata-worker-" + index);
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    public int threads() {
        return threads;
    }

    /** The worker threads' ids (for per-thread accounting such as allocation tests). */
    public long[] workerThreadIds() {
        long[] ids = new long[workers.length];
        for (int i = 0; i < ids.length; i++) ids[i] = workers[i].threadId();
        return ids;
    }

    /** Runs task over [0, n) split into at most {@code threads} chunks; the caller runs the first. */
    public void forRange(int n, RangeTask task) {
        run(n, 0, task);
    }

    /**
     * Runs task over [0, n) in pieces of {@code grain} that the caller and the workers claim from a
     * shared counter until none is left. A thread the OS preempts (a request thread, a client on the
     * same cores) then delays only the piece it holds: the others take the rest, instead of waiting
     * at the end of a fixed half. Pieces start at multiples of grain.
     */
    public void forChunks(int n, int grain, RangeTask task) {
        if (grain < 1) throw new IllegalArgumentException("grain must be at least 1, got " + grain);
        run(n, grain, task);
    }

    private void run(int n, int grain, RangeTask task) {
        int pieces = grain == 0 ? n : (n + grain - 1) / grain;
        int chunks = Math.min(threads, pieces);
        if (chunks <= 1 || closed || !busy.compareAndSet(false, true)) {
            if (n > 0) task.run(0, n);
            return;
        }
        try {
            generation++;
            this.task = task;
            this.size = n;
            this.chunks = chunks;
            this.grain = grain;
            this.next.set(0);
            this.failure = null;
            this.caller = Thread.currentThread();
            pending.set(chunks - 1);
            generation++;
            for (int c = 1; c < chunks; c++) LockSupport.unpark(workers[c - 1]);
            Throwable own = null;
            try {
                if (grain == 0) task.run(0, n / chunks);
                else claim(task, n, grain);
            } catch (Throwable e) {
                own = e;
            }
            awaitWorkers();
            Throwable t = own != null ? own : failure;
            if (t instanceof RuntimeException re) throw re;
            if (t instanceof Error err) throw err;
        } finally {
            this.task = null;
            busy.set(false);
        }
    }

    private void awaitWorkers() {
        for (int spin = 0; pending.get() != 0; spin++) {
            if (spin < SPINS) Thread.onSpinWait();
            else LockSupport.park(this);
            if (Thread.interrupted()) {
                while (pending.get() != 0) Thread.onSpinWait();
                Thread.currentThread().interrupt();
                throw new StrataException("interrupted");
            }
        }
    }

    private void work(int index) {
        int seen = 0;
        int spin = 0;
        while (!closed) {
            int g = generation;
            if ((g & 1) != 0 || g == seen) {
                if (spin++ < SPINS) Thread.onSpinWait();
                else LockSupport.park(this);
                continue;
            }
            RangeTask t = task;
            int n = size, c = chunks, gr = grain;
            Thread owner = caller;
            if (generation != g) continue;
            seen = g;
            spin = 0;
            if (index >= c) continue;
            try {
                if (gr == 0) t.run((int) ((long) n * index / c), (int) ((long) n * (index + 1) / c));
                else claim(t, n, gr);
            } catch (Throwable e) {
                if (failure == null) failure = e;
            } finally {
                if (pending.decrementAndGet() == 0) LockSupport.unpark(owner);
            }
        }
    }

    private void claim(RangeTask t, int n, int g) {
        for (int s; (s = next.getAndAdd(g)) < n; ) t.run(s, Math.min(n, s + g));
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
    }
}
