package dev.strata.eval.likelihood;

import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Log-probabilities of tokens under the model: the log-softmax of the logits at every position,
 * computed as llama.cpp's perplexity tool does (max in float, sum of exponentials in double), and
 * lm-evaluation-harness's two requests built on it: {@code loglikelihood} of a continuation and
 * {@code loglikelihood_rolling} of a whole document.
 */
public final class LogLikelihood {
    private LogLikelihood() {}

    /** log p(token) from one row of logits starting at {@code offset}. */
    public static double logProb(float[] logits, int offset, int vocab, int token) {
        float max = logits[offset];
        for (int i = 1; i < vocab; i++) max = Math.max(max, logits[offset + i]);
        double sum = 0;
        for (int i = 0; i < vocab; i++) sum += Math.exp(logits[offset + i] - max);
        return logits[offset + token] - max - Math.log(sum);
    }

    /** Whether {@code token} is the (first) argmax of the row. */
    public static boolean isArgmax(float[] logits, int offset, int vocab, int token) {
        float best = logits[offset];
        int arg = 0;
        for (int i = 1; i < vocab; i++) {
            if (logits[offset + i] > best) {
                best = logits[offset + i];
                arg = i;
            }
        }
        return arg == token;
    }

    /** Logits (floats) one scored forward pass may return: about 64 MB, whatever the vocabulary. */
    static final int MAX_LOGITS = 1 << 24;

    /** Receives the logits row of one position: {@code logits[offset .. offset + vocab)}. */
    @FunctionalInterface
    public interface Row {
        void accept(int position, float[] logits, int offset);
    }

    /**
     * Feeds {@code input} into {@code seq}, at most {@code batch} tokens per forward pass, and hands
     * every position from {@code scoredFrom} on to {@code row}. Positions before it cost no logits, and
     * scored passes are capped so their logits stay within {@link #MAX_LOGITS}.
     */
    public static void feed(Engine engine, Sequence seq, int[] input, int scoredFrom, int batch, ForwardStats stats, Row row) {
        int vocab = engine.model().config().vocabSize(), base = seq.position();
        int step = Math.max(1, batch), scoredStep = Math.max(1, Math.min(step, MAX_LOGITS / vocab));
        for (int b = 0; b < scoredFrom; b += step) {
            engine.forward().forward(seq, Arrays.copyOfRange(input, b, Math.min(scoredFrom, b + step)), false, stats);
        }
        for (int b = scoredFrom; b < input.length; b += scoredStep) {
            int n = Math.min(scoredStep, input.length - b);
            float[] logits = engine.forward().forward(seq, Arrays.copyOfRange(input, b, b + n), true, stats);
            for (int j = 0; j < n; j++) row.accept(b + j, logits, j * vocab);
        }
        assert seq.position() == base + input.length;
    }

    /** The sum of a continuation's log-probabilities and whether greedy decoding would produce it. */
    public record Score(double logLikelihood, boolean greedy, int tokens) {}

    /**
     * Scores {@code continuation} after {@code context} in a fresh sequence: {@code context + continuation[:-1]}
     * is fed (its last tokens when longer than the context, as lm-eval does) and the continuation's tokens
     * are read from the logits of the last {@code continuation.length} positions. The context must hold
     * at least one token.
     */
    public static Score continuation(Engine engine, Sequence seq, int[] context, int[] continuation, ForwardStats stats) {
        if (context.length == 0) throw new IllegalArgumentException("the context needs at least one token (BOS)");
        if (continuation.length == 0) return new Score(0, true, 0);
        int[] input = new int[context.length + continuation.length - 1];
        System.arraycopy(context, 0, input, 0, context.length);
        System.arraycopy(continuation, 0, input, context.length, continuation.length - 1);
        int ctx = seq.cache().contextLength();
        if (continuation.length > ctx) {
            throw new dev.strata.StrataException("a continuation of " + continuation.length + " tokens does not fit the context size of " + ctx);
        }
        if (input.length > ctx) {
            // lm-eval keeps the last max_length tokens; so do we.
            input = Arrays.copyOfRange(input, input.length - ctx, input.length);
        }
        int vocab = engine.model().config().vocabSize(), firstRow = input.length - continuation.length;
        double[] sum = {0};
        boolean[] greedy = {true};
        feed(engine, seq, input, firstRow, input.length, stats, (p, logits, off) -> {
            int target = continuation[p - firstRow];
            sum[0] += logProb(logits, off, vocab, target);
            greedy[0] &= isArgmax(logits, off, vocab, target);
        });
        return new Score(sum[0], greedy[0], continuation.length);
    }

    /** One rolling window: the tokens fed and how many of the last ones are scored. */
    public record Window(int[] input, int[] targets) {}

    /**
     * lm-eval's {@code get_rolling_token_windows} with context_len 1 followed by
     * {@code make_disjoint_window}: every token is predicted exactly once, the first from the prefix token,
     * each window holds at most {@code maxLength} tokens.
     */
    public static List<Window> rollingWindows(int[] tokens, int prefixToken, int maxLength) {
        List<Window> out = new ArrayList<>();
        if (tokens.length == 0) return out;
        int firstLen = Math.min(maxLength, tokens.length);
        int[] first = new int[firstLen];
        first[0] = prefixToken;
        System.arraycopy(tokens, 0, first, 1, firstLen - 1);
        out.add(new Window(first, Arrays.copyOfRange(tokens, 0, firstLen)));
        int predicted = firstLen;
        while (predicted < tokens.length) {
            int predLen = Math.min(tokens.length - predicted, maxLength);
            int end = predicted + predLen;
            int[] input = Arrays.copyOfRange(tokens, end - maxLength - 1, end - 1); // end > maxLength here
            out.add(new Window(input, Arrays.copyOfRange(tokens, end - predLen, end)));
            predicted = end;
        }
        return out;
    }

    /**
     * The log-likelihood of a whole token sequence, window by window, each window in a fresh sequence
     * from {@code newSequence}. The windows' inputs end with the token before their last target.
     */
    public static double rolling(Engine engine, Supplier<Sequence> newSequence, int[] tokens, int prefixToken,
                                 ForwardStats stats) {
        Sequence probe = newSequence.get();
        int maxLength = probe.cache().contextLength();
        int vocab = engine.model().config().vocabSize();
        double[] sum = {0};
        boolean firstWindow = true;
        for (Window w : rollingWindows(tokens, prefixToken, maxLength)) {
            Sequence seq = firstWindow ? probe : newSequence.get();
            firstWindow = false;
            int firstRow = w.input().length - w.targets().length;
            feed(engine, seq, w.input(), firstRow, w.input().length, stats,
                    (p, logits, off) -> sum[0] += logProb(logits, off, vocab, w.targets()[p - firstRow]));
        }
        return sum[0];
    }
}
