package dev.strata.generate;

import dev.strata.StrataException;
import dev.strata.runtime.Engine;
import dev.strata.runtime.Sequence;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Continuous batching as llama-server does it: one decode thread steps a {@link BatchGenerator}
 * over every active request, so each weight row is read once per step for all of them. Callers
 * block in {@link #generate} exactly as in {@link Generator#generate}; their text is handed over
 * through a queue, and their cancellation checks run on their own thread, so neither a slow client
 * nor a socket probe ever stalls the decode thread, which steps back to back while requests remain.
 */
public final class DecodeLoop implements AutoCloseable {
    /** How often a waiting caller asks its cancellation check when no text arrives (ClientProbe's interval). */
    static final long CANCEL_CHECK_MILLIS = 20;
    /** Marks the end of a request's text in its queue; compared by identity. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String END = new String("end of generation");

    private final BatchGenerator batch;
    private final Thread thread;
    private volatile boolean closed;
    private volatile RuntimeException failure;

    public DecodeLoop(Engine engine, int ubatch) {
        this.batch = new BatchGenerator(engine, ubatch);
        this.thread = Thread.ofPlatform().name("strata-decode").daemon().start(this::run);
    }

    private void run() {
        while (!closed) {
            if (!batch.busy()) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(20));
                continue;
            }
            try {
                batch.step();
            } catch (RuntimeException e) {
                // a failed step (an unreadable weight page, an engine bug) ends the requests in it, not the server
                failure = e;
                batch.abortAll(e);
            }
        }
        batch.abortAll(new StrataException("the server is shutting down"));
    }

    /**
     * Generates on the decode thread and blocks until done, streaming text to {@code onText} on the
     * calling thread. {@code cancelled} is asked on the calling thread (after each piece of text and at
     * least every {@link #CANCEL_CHECK_MILLIS} ms), never on the decode thread, so a check that reads a
     * socket costs the decode thread nothing; the request leaves the batch at the next step after it
     * turns true.
     */
    public GenerationResult generate(Sequence seq, GenerationRequest req, Consumer<String> onText, BooleanSupplier cancelled) {
        return generate(seq, req, onText, cancelled, CANCEL_CHECK_MILLIS);
    }

    /**
     * As above, with the interval of the cancellation check while no text arrives; 0: only after each piece, for a
     * check that can only change when text is handed over (a stream that notices a gone client on a failed write).
     * Then the waiting thread wakes once per piece, not also every few milliseconds, which on a small machine takes
     * a CPU from the decode step each time.
     */
    public GenerationResult generate(Sequence seq, GenerationRequest req, Consumer<String> onText, BooleanSupplier cancelled,
                                     long checkMillis) {
        if (closed) throw new StrataException("the decode loop is closed");
        BlockingQueue<String> pieces = new LinkedBlockingQueue<>();
        AtomicBoolean gone = new AtomicBoolean();
        BatchGenerator.Handle handle = batch.submit(new BatchGenerator.Request(seq, req, pieces::add, gone::get, true));
        handle.whenDone(() -> pieces.add(END));
        LockSupport.unpark(thread);
        try {
            if (cancelled.getAsBoolean()) gone.set(true);
            while (true) {
                String piece = checkMillis > 0 ? pieces.poll(checkMillis, TimeUnit.MILLISECONDS) : pieces.take();
                if (piece == END) {
                    for (String rest; (rest = pieces.poll()) != null; ) if (rest != END) onText.accept(rest);
                    return handle.result();
                }
                if (piece != null) onText.accept(piece);
                if (!gone.get() && cancelled.getAsBoolean()) gone.set(true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException("interrupted while generating");
        }
    }

    /** Decode steps run so far. */
    public long steps() {
        return batch.steps();
    }

    /** Requests carried by all steps together; divided by {@link #steps()} it is the mean batch size. */
    public long stepSequences() {
        return batch.stepSequences();
    }

    /** The last failure of a decode step, if any (for logs and tests). */
    public RuntimeException lastFailure() {
        return failure;
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
