package dev.strata.train;

import dev.strata.StrataException;
import dev.strata.train.curriculum.Curriculum;
import dev.strata.train.curriculum.Problem;
import dev.strata.train.tokenize.TrainTokenizer;
import java.util.Arrays;

/**
 * Packs curriculum problems into fixed-length training sequences. Each problem contributes its
 * plain-text prefix and target; only the target tokens (the written-out steps, the answer and the
 * closing newline) are predicted, so the loss is masked to the answer. A problem that does not fit
 * in the rest of a sequence starts the next one; the tail is padding with no loss.
 */
public final class BatchBuilder {
    public static final int IGNORE = -1;

    private final Curriculum source;
    private final TrainTokenizer tokenizer;
    private final int batch;
    private final int seqLen;
    private final int padToken;
    private int[][] pending;
    private long problemsUsed;

    public BatchBuilder(Curriculum source, TrainTokenizer tokenizer, int batch, int seqLen) {
        this.source = source;
        this.tokenizer = tokenizer;
        this.batch = batch;
        this.seqLen = seqLen;
        this.padToken = tokenizer.encode("\n")[0];
    }

    /** One batch: tokens and next-token targets, both [batch * seqLen]. */
    public int[][] next() {
        int[] tokens = new int[batch * seqLen], targets = new int[batch * seqLen];
        for (int b = 0; b < batch; b++) fillSequence(tokens, targets, b * seqLen);
        return new int[][] {tokens, targets};
    }

    private void fillSequence(int[] tokens, int[] targets, int start) {
        int pos = 0;
        while (true) {
            if (pending == null) pending = encode(source.next());
            int[] prefix = pending[0], target = pending[1];
            int len = prefix.length + target.length;
            if (len > seqLen) throw new StrataException("a problem needs " + len + " tokens, more than the sequence length " + seqLen);
            if (pos + len > seqLen) break;
            System.arraycopy(prefix, 0, tokens, start + pos, prefix.length);
            System.arraycopy(target, 0, tokens, start + pos + prefix.length, target.length);
            // position i predicts token i+1: the last prefix token predicts the first target token
            Arrays.fill(targets, start + pos, start + pos + prefix.length - 1, IGNORE);
            for (int i = 0; i < target.length; i++) targets[start + pos + prefix.length - 1 + i] = target[i];
            targets[start + pos + len - 1] = IGNORE;
            pos += len;
            pending = null;
        }
        Arrays.fill(tokens, start + pos, start + seqLen, padToken);
        Arrays.fill(targets, start + pos, start + seqLen, IGNORE);
    }

    private int[][] encode(Problem p) {
        problemsUsed++;
        int[] prefix = tokenizer.encode(p.plainPrefix());
        int[] target = tokenizer.encode(p.target() + "\n");
        if (prefix.length == 0) throw new StrataException("empty prompt for " + p.family().id());
        return new int[][] {prefix, target};
    }

    /** Problems placed into batches so far; a drawn problem still waiting for a sequence does not count. */
    public long problemsPlaced() {
        return problemsUsed - (pending != null ? 1 : 0);
    }

    /** Fast-forwards a fresh builder to where a checkpointed one stood ({@link #problemsPlaced()}). */
    public void skipProblems(long count) {
        for (long i = 0; i < count; i++) source.next();
        problemsUsed = count;
    }
}
