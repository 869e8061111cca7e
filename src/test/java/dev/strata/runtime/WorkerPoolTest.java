package dev.strata.runtime;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The latch-free pool covers every index exactly once, from one caller or several at a time, and rethrows task failures. */
class WorkerPoolTest {
    @Test
    void everyIndexRunsExactlyOnceOverManyCalls() {
        try (WorkerPool pool = new WorkerPool(3)) {
            for (int call = 0; call < 2000; call++) {
                int n = 1 + call % 37;
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                pool.forRange(n, (s, e) -> {
                    for (int i = s; i < e; i++) hits.incrementAndGet(i);
                });
                for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "call " + call + " index " + i);
            }
        }
    }

    @Test
    void concurrentCallersEachGetTheirWholeRange() throws Exception {
        try (WorkerPool pool = new WorkerPool(2)) {
            Thread[] callers = new Thread[3];
            Throwable[] failure = new Throwable[1];
            for (int c = 0; c < callers.length; c++) {
                callers[c] = new Thread(() -> {
                    try {
                        for (int call = 0; call < 500; call++) {
                            long[] sum = new long[1];
                            pool.forRange(100, (s, e) -> {
                                long local = 0;
                                for (int i = s; i < e; i++) local += i;
                                synchronized (sum) {
                                    sum[0] += local;
                                }
                            });
                            assertEquals(4950, sum[0]);
                        }
                    } catch (Throwable t) {
                        failure[0] = t;
                    }
                });
                callers[c].start();
            }
            for (Thread t : callers) t.join();
            assertNull(failure[0], () -> String.valueOf(failure[0]));
        }
    }

    @Test
    void aWorkersFailureReachesTheCallerAndThePoolKeepsWorking() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.forRange(10, (s, end) -> {
                if (s > 0) throw new IllegalStateException("chunk " + s);
            }));
            assertEquals("chunk 5", e.getMessage());
            AtomicIntegerArray hits = new AtomicIntegerArray(10);
            pool.forRange(10, (s, end) -> {
                for (int i = s; i < end; i++) hits.incrementAndGet(i);
            });
            for (int i = 0; i < 10; i++) assertEquals(1, hits.get(i));
        }
    }

    @Test
    void claimedPiecesCoverEveryIndexOnceAndStartOnGrainMultiples() {
        try (WorkerPool pool = new WorkerPool(3)) {
            for (int call = 0; call < 2000; call++) {
                int n = 1 + call % 101, grain = 1 + call % 17;
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                pool.forChunks(n, grain, (s, e) -> {
                    assertEquals(0, s % grain, "piece start");
                    assertTrue(e - s <= grain && e <= n, "piece " + s + ".." + e);
                    for (int i = s; i < e; i++) hits.incrementAndGet(i);
                });
                for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "call " + call + " index " + i);
            }
            assertThrows(IllegalArgumentException.class, () -> pool.forChunks(4, 0, (s, e) -> {}));
        }
    }

    /** A thread held up in its piece (as if preempted) does not hold the rest: the other thread claims them all. */
    @Test
    void aStalledThreadsShareIsTakenOverByTheOthers() {
        try (WorkerPool pool = new WorkerPool(2)) {
            java.util.concurrent.ConcurrentHashMap<String, Integer> piecesByThread = new java.util.concurrent.ConcurrentHashMap<>();
            java.util.concurrent.CountDownLatch rest = new java.util.concurrent.CountDownLatch(1);
            AtomicIntegerArray hits = new AtomicIntegerArray(64);
            pool.forChunks(64, 4, (s, e) -> {
                piecesByThread.merge(Thread.currentThread().getName(), 1, Integer::sum);
                for (int i = s; i < e; i++) hits.incrementAndGet(i);
                if (s == 0) {
                    try { // the first piece stalls until every other piece is done (they may already be)
                        assertTrue(done(hits) || rest.await(10, java.util.concurrent.TimeUnit.SECONDS));
                    } catch (InterruptedException x) {
                        throw new AssertionError(x);
                    }
                } else if (hits.get(63) == 1 && done(hits)) {
                    rest.countDown();
                }
            });
            for (int i = 0; i < 64; i++) assertEquals(1, hits.get(i));
            assertTrue(piecesByThread.containsValue(15), "one thread took the other 15 pieces: " + piecesByThread);
        }
    }

    private static boolean done(AtomicIntegerArray hits) {
        for (int i = 0; i < hits.length(); i++) if (hits.get(i) == 0) return false;
        return true;
    }
}
