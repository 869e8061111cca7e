package dev.strata.eval.likelihood;

import dev.strata.StrataException;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;
import dev.strata.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Perplexity of a text as llama.cpp's {@code llama-perplexity} computes it: the whole text tokenized
 * with BOS, cut into non-overlapping chunks of {@code n_ctx} tokens, each chunk evaluated from an empty
 * cache with its first token replaced by BOS (when the model adds BOS), and only the second half of
 * each chunk scored: the tokens at positions {@code n_ctx/2 + 1 .. n_ctx - 1}.
 */
public final class Perplexity {
    private Perplexity() {}

    /** Sums over scored tokens: negative log-likelihood, its square, the count and the tokens' bytes. */
    public record Totals(double nll, double nll2, long count, long bytes) {
        public static final Totals ZERO = new Totals(0, 0, 0, 0);

        public Totals plus(Totals o) {
            return new Totals(nll + o.nll, nll2 + o.nll2, count + o.count, bytes + o.bytes);
        }

        public double ppl() {
            return Math.exp(nll / count);
        }

        /** llama.cpp's uncertainty: ppl times the standard error of the mean token NLL; NaN if undefined. */
        public double pplUncertainty() {
            double mean = nll / count, var = nll2 / count - mean * mean;
            return var > 0 && count > 1 ? Math.sqrt(var / (count - 1)) * ppl() : Double.NaN;
        }

        /** Bits per UTF-8 byte of the scored tokens' text. */
        public double bitsPerByte() {
            return nll / Math.log(2) / bytes;
        }
    }

    /** llama.cpp's common_tokenize(ctx, text, add_special = true, parse_special = false). */
    public static int[] tokenize(Tokenizer tokenizer, String text) {
        return tokenizer.encode(text, true, false);
    }

    /** How many chunks llama.cpp scores: all whole chunks, at most {@code maxChunks} when positive. */
    public static int chunkCount(int tokens, int nCtx, int maxChunks) {
        if (nCtx < 4) throw new StrataException("perplexity needs a context of at least 4 tokens, got " + nCtx);
        if (tokens < 2 * nCtx) {
            throw new StrataException("you need at least " + 2 * nCtx + " tokens to evaluate perplexity with a context of "
                    + nCtx + "; the text tokenizes to only " + tokens);
        }
        int all = tokens / nCtx;
        return maxChunks > 0 ? Math.min(maxChunks, all) : all;
    }

    /**
     * Scores chunk {@code chunk} of {@code tokens} in {@code seq} (fresh, context at least nCtx), feeding
     * at most {@code batch} tokens per forward pass.
     */
    public static Totals scoreChunk(Engine engine, Sequence seq, int[] tokens, int chunk, int nCtx, int batch, ForwardStats stats) {
        if (seq.position() != 0) throw new IllegalArgumentException("the sequence must be fresh");
        int start = chunk * nCtx, first = nCtx / 2, vocab = engine.model().config().vocabSize();
        int[] input = Arrays.copyOfRange(tokens, start, start + nCtx);
        var vocabulary = engine.tokenizer().vocab();
        if (vocabulary.addBos() && vocabulary.bos() >= 0) input[0] = vocabulary.bos();
        double[] sums = new double[2];
        long[] counts = new long[2];
        LogLikelihood.feed(engine, seq, input, first, Math.min(batch, nCtx), stats, (j, logits, off) -> {
            if (j >= nCtx - 1) return; // the last position predicts past the chunk
            int target = tokens[start + j + 1];
            double tokenNll = -LogLikelihood.logProb(logits, off, vocab, target);
            sums[0] += tokenNll;
            sums[1] += tokenNll * tokenNll;
            counts[0]++;
            counts[1] += engine.tokenizer().piece(target, false).length;
        });
        return new Totals(sums[0], sums[1], counts[0], counts[1]);
    }

    /**
     * Scores the chunks in order, each in a new sequence from {@code newSequence} (given the context
     * size), and reports the running totals after each chunk.
     */
    public static Totals run(Engine engine, IntFunction<Sequence> newSequence, int[] tokens, int nCtx, int maxChunks,
                             int batch, ForwardStats stats, Consumer<Totals> afterChunk) {
        int chunks = chunkCount(tokens.length, nCtx, maxChunks);
        Totals total = Totals.ZERO;
        for (int i = 0; i < chunks; i++) {
            total = total.plus(scoreChunk(engine, newSequence.apply(nCtx), tokens, i, nCtx, batch, stats));
            afterChunk.accept(total);
        }
        return total;
    }
}
