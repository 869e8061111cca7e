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
}
