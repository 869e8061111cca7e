package dev.strata.generate;

import dev.strata.StrataException;
import dev.strata.weights.ModelFileChangedException;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;
import dev.strata.sample.Sampler;
import dev.strata.sample.StopStrings;
import dev.strata.tokenizer.StreamingDecoder;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** The decode loop: prompt pass, then sample, feed back, stream text, until EOG, a stop string or a limit. */
public final class Generator {
    private Generator() {}

    /** The prompt must be non-empty and fit the sequence's context; callers that echo it check first. */
    public static void checkFits(Sequence seq, int[] prompt) {
        if (prompt.length == 0) throw new StrataException("the prompt is empty");
        int ctx = seq.cache().contextLength();
        if (seq.position() + prompt.length > ctx) {
            throw new StrataException("the prompt (" + prompt.length + " tokens) does not fit the context size of " + ctx + " (raise it with -c)");
        }
    }

    public static GenerationResult generate(Engine engine, Sequence seq, GenerationRequest req, Consumer<String> onText,
                                            BooleanSupplier cancelled, ForwardStats stats) {
        try {
            return run(engine, seq, req, onText, cancelled, stats);
        } catch (InternalError e) {
            if (ModelFileChangedException.isMappedFault(e)) throw ModelFileChangedException.fromFault(engine.model(), e);
            throw e;
        }
    }

    private static GenerationResult run(Engine engine, Sequence seq, GenerationRequest req, Consumer<String> onText,
                                        BooleanSupplier cancelled, ForwardStats stats) {
        int[] prompt = req.promptTokens();
        checkFits(seq, prompt);
        int ctx = seq.cache().contextLength();
        var vocab = engine.tokenizer().vocab();
        Sampler sampler = new Sampler(req.sampling(), req.logitProcessor());
        for (int t : prompt) sampler.accept(t);
        StreamingDecoder decoder = new StreamingDecoder(engine.tokenizer());
        StopStrings stops = new StopStrings(req.stop());
        StringBuilder text = new StringBuilder();
        Consumer<String> emit = s -> {
            if (!s.isEmpty()) {
                text.append(s);
                onText.accept(s);
            }
        };
        long t0 = System.nanoTime();
        float[] logits = engine.forward().forward(seq, prompt, false, stats);
        long promptNanos = System.nanoTime() - t0;
        long t1 = System.nanoTime();
        int vocabSize = engine.model().config().vocabSize();
        int limit = req.maxTokens() < 0 ? Integer.MAX_VALUE : req.maxTokens();
        java.util.List<Integer> out = new java.util.ArrayList<>();
        FinishReason finish = FinishReason.LENGTH;
        while (out.size() < limit) {
            if (cancelled.getAsBoolean()) {
                finish = FinishReason.CANCELLED;
                break;
            }
            int token = sampler.sample(logits, vocabSize);
            sampler.accept(token);
            if (req.logitProcessor() != null) req.logitProcessor().accept(token);
            if (req.tokenListener() != null) req.tokenListener().onToken(token, logits, vocabSize);
            if (!req.ignoreEos() && vocab.isEndOfGeneration(token)) {
                finish = FinishReason.STOP;
                break;
            }
            out.add(token);
            emit.accept(stops.accept(decoder.accept(token)));
            if (stops.stopped()) {
                finish = FinishReason.STOP;
                break;
            }
            if (out.size() >= limit || seq.position() >= ctx) break;
            logits = engine.forward().forward(seq, new int[] {token}, false, stats);
        }
        if (!stops.stopped()) emit.accept(stops.accept(decoder.flush()) + stops.flush());
        long genNanos = System.nanoTime() - t1;
        return new GenerationResult(out.stream().mapToInt(Integer::intValue).toArray(), text.toString(), finish,
                prompt.length, promptNanos, genNanos);
    }
}
