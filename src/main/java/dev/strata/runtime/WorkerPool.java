package dev.strata.runtime;

import dev.strata.StrataException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/** The engine's one worker pool, sized by -t. Splits an index range into contiguous chunks. */
public final class WorkerPool implements AutoCloseable {

    @FunctionalInterface
    public interface RangeTask {
        void run(int start, int end);
    }

    private final int threads;
    private final ExecutorService executor;

    public WorkerPool(int threads) {
        if (threads < 1) throw new StrataException("thread count must be at least 1, got " + threads);
        this.threads = threads;
        this.executor = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "strata-worker");
            t.setDaemon(true);
            return t;
        });
    }

    public int threads() {
        return threads;
    }

    /** Runs task over [0, n) split into at most {@code threads} chunks; the caller runs the first. */
    public void forRange(int n, RangeTask task) {
        int chunks = Math.min(threads, n);
        if (chunks <= 1) {
            if (n > 0) task.run(0, n);
            return;
        }
        CountDownLatch done = new CountDownLatch(chunks - 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int c = 1; c < chunks; c++) {
            int s = (int) ((long) n * c / chunks), e = (int) ((long) n * (c + 1) / chunks);
            executor.execute(() -> {
                try {
                    task.run(s, e);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            });
        }
        task.run(0, n / chunks);
        try {
            done.await();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new StrataException("interrupted");
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error err) throw err;
    }

    @Override
    public void close() {
        if (executor != null) executor.shutdownNow();
    }
}
