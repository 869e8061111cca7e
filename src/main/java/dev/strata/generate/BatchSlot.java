package dev.strata.generate;

import dev.strata.runtime.Engine;
import dev.strata.runtime.Sequence;
import dev.strata.sample.Sampler;
import dev.strata.sample.StopStrings;
import dev.strata.tokenizer.StreamingDecoder;
import dev.strata.tokenizer.Vocabulary;
import java.util.Arrays;

/** One request inside a {@link BatchGenerator}: {@link Generator}'s loop body, advanced one token per step. */
final class BatchSlot {
    final BatchGenerator.Handle handle = new BatchGenerator.Handle();
    /** The token to feed at the next step (the last one sampled). */
    final int[] pending = new int[1];
    /** Prompt tokens already fed. */
    int fed;
    long startedAt;
    private final BatchGenerator.Request request;
    private final Vocabulary vocab;
    private final Sampler sampler;
    private final StreamingDecoder decoder;
    private final StopStrings stops;
    private final StringBuilder text = new StringBuilder();
    private final int limit;
    private int[] out = new int[16];
    private int count;
    private long promptDoneAt;
    private boolean finished;

    BatchSlot(Engine engine, BatchGenerator.Request request) {
        this.request = request;
        this.vocab = engine.tokenizer().vocab();
        this.sampler = new Sampler(request.request().sampling(), request.request().logitProcessor());
        for (int t : request.request().promptTokens()) sampler.accept(t);
        this.decoder = new StreamingDecoder(engine.tokenizer());
        this.stops = new StopStrings(request.request().stop());
        this.limit = request.request().maxTokens() < 0 ? Integer.MAX_VALUE : request.request().maxTokens();
    }

    boolean threadSafe() {
        return request.threadSafe();
    }

    Sequence sequence() {
        return request.sequence();
    }

    int[] prompt() {
        return request.request().promptTokens();
    }

    int promptLeft() {
        return prompt().length - fed;
    }

    /** The whole prompt is in the cache: the slot now decodes one token per step. */
    boolean prefilled() {
        return fed == prompt().length;
    }

    boolean finished() {
        return finished;
    }

    boolean cancelledNow() {
        return request.cancelled().getAsBoolean();
    }

    /**
     * Consumes the logits of this slot's last fed token: samples, streams, or finishes. Touches only
     * this slot and its request's callbacks, so slots of thread-safe requests advance in parallel.
     */
    void advance(float[] logits, int vocabSize) {
        if (promptDoneAt == 0) promptDoneAt = System.nanoTime();
        if (count >= limit) {
            finish(FinishReason.LENGTH);
            return;
        }
        if (cancelledNow()) {
            finish(FinishReason.CANCELLED);
            return;
        }
        int token = sampler.sample(logits, vocabSize);
        sampler.accept(token);
        GenerationRequest r = request.request();
        if (r.logitProcessor() != null) r.logitProcessor().accept(token);
        if (r.tokenListener() != null) r.tokenListener().onToken(token, logits, vocabSize);
        if (!request.request().ignoreEos() && vocab.isEndOfGeneration(token)) {
            finish(FinishReason.STOP);
            return;
        }
        if (count == out.length) out = Arrays.copyOf(out, 2 * count);
        out[count++] = token;
        emit(stops.accept(decoder.accept(token)));
        if (stops.stopped()) {
            finish(FinishReason.STOP);
        } else if (count >= limit || sequence().position() >= sequence().cache().contextLength()) {
            finish(FinishReason.LENGTH);
        } else {
            pending[0] = token;
        }
    }

    /** Ends the request (flushing held-back text) and publishes its result; true for chaining. */
    boolean finish(FinishReason reason) {
        if (finished) return true;
        finished = true;
        if (!stops.stopped()) emit(stops.accept(decoder.flush()) + stops.flush());
        long now = System.nanoTime();
        long promptNanos = promptDoneAt == 0 ? 0 : promptDoneAt - startedAt;
        long genNanos = promptDoneAt == 0 ? 0 : now - promptDoneAt;
        handle.complete(new GenerationResult(Arrays.copyOf(out, count), text.toString(), reason, prompt().length, promptNanos, genNanos));
        return true;
    }

    private void emit(String s) {
        if (!s.isEmpty()) {
            text.append(s);
            request.onText().accept(s);
        }
    }
}
