package dev.strata.server;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission and decode slots: {@code parallel} requests generate at once, {@code queueSize} more wait,
 * anything beyond is refused at once (503) so a burst never builds an unbounded backlog.
 */
final class SlotScheduler {
    private final Semaphore slots;
    private final int capacity;
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean draining;

    SlotScheduler(int parallel, int queueSize) {
        this.slots = new Semaphore(parallel, true);
        this.capacity = parallel + queueSize;
    }

    /** Reserves a place in the queue, or throws 503 when the queue is full or the server is shutting down. */
    Lease admit() {
        if (draining) throw ApiException.overloaded("the server is shutting down");
        if (admitted.incrementAndGet() > capacity) {
            admitted.decrementAndGet();
            throw ApiException.overloaded("the server is busy: all decode slots and the queue are full, retry later");
        }
        return new Lease();
    }

    int active() { return active.get(); }

    int queued() { return Math.max(0, admitted.get() - active.get()); }

    int inFlight() { return admitted.get(); }

    void drain() { draining = true; }

    /** A place in the queue; {@link #awaitSlot()} turns it into a decode slot, close gives everything back. */
    final class Lease implements AutoCloseable {
        private boolean holdsSlot;
        private boolean closed;

        void awaitSlot() throws InterruptedException {
            slots.acquire();
            holdsSlot = true;
            active.incrementAndGet();
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            if (holdsSlot) {
                active.decrementAndGet();
                slots.release();
            }
            admitted.decrementAndGet();
        }
    }
}
