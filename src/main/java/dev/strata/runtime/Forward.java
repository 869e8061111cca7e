package dev.strata.runtime;

import dev.strata.StrataException;
import dev.strata.weights.Model;
import dev.strata.model.ModelConfig;
import dev.strata.tensor.KernelProvider;

/**
 * The forward pass over a {@link Batch}: sequences whose execution plans are equal form a group;
 * a group's token rows are concatenated, embedded, walked through the plan step by step (each
 * step = one weight layer + its own KV slot) and projected to logits, so every weight matrix is
 * read once per step for the whole group. Groups with different plans run one after another.
 *
 * <p>Buffers live in a {@link Workspace} per calling thread, so many threads can use one Forward
 * concurrently and a thread's decode loop allocates nothing once its workspace has grown.
 */
public final class Forward {
    private final Model model;
    private final ModelConfig c;
    private final KernelProvider kernels;
    private final MatMul mm;
    private final Attention attention;
    private final FeedForward ffn;
    private final ThreadLocal<Workspace> workspaces;

    public Forward(Model model, KernelProvider kernels, WorkerPool pool) {
        this.model = model;
        this.c = model.config();
        this.kernels = kernels;
        this.mm = new MatMul(kernels, pool);
        this.attention = new Attention(c, new Rope(c, model.ropeFreqFactors()), mm);
        this.ffn = new FeedForward(c, mm, model.store());
        this.workspaces = ThreadLocal.withInitial(() -> new Workspace(mm, attention));
    }

    public Model model() {
        return model;
    }

    public KernelProvider kernels() {
        return kernels;
    }

    /**
     * Feeds tokens at the sequence's current position and advances it. Returns the logits of the
     * last token, or of every token ([n][vocab] row-major) when allLogits is set. A one-entry
     * {@link #forward(Batch, ForwardStats)}; the returned array is the caller's.
     */
    public float[] forward(Sequence seq, int[] tokens, boolean allLogits, ForwardStats stats) {
        if (tokens.length == 0) throw new StrataException("no tokens to evaluate");
        Batch batch = new Batch();
        Batch.Entry entry = batch.add(seq, tokens, allLogits);
        forward(batch, stats);
        return entry.logits();
    }

    /**
     * Feeds every entry's tokens at its sequence's position, advances the sequences and leaves each
     * entry's logits in {@link Batch.Entry#logits()}. Nothing changes if an entry is invalid.
     */
    public void forward(Batch batch, ForwardStats stats) {
        long t0 = System.nanoTime();
        int size = batch.size();
        if (size == 0) throw new StrataException("no sequences to evaluate");
        validate(batch);
        Workspace ws = workspaces.get();
        boolean[] grouped = ws.grouped = Workspace.grow(ws.grouped, size);
        java.util.Arrays.fill(grouped, 0, size, false);
        int[] members = ws.groupMembers = Workspace.grow(ws.groupMembers, size);
        for (int i = 0; i < size; i++) {
            if (grouped[i]) continue;
            ExecutionPlan plan = batch.get(i).sequence().plan();
            int m = 0;
            for (int j = i; j < size; j++) {
                if (!grouped[j] && plan.sameSteps(batch.get(j).sequence().plan())) {
                    grouped[j] = true;
                    members[m++] = j;
                }
            }
            runGroup(ws, batch, plan, members, m, stats);
        }
        long nanos = System.nanoTime() - t0;
        stats.tokens += batch.tokens();
        stats.forwardCalls++;
        stats.nanos += nanos;
        if (batch.tokens() == size) { // every sequence fed one token: a decode step
            stats.decodeTokens += size;
            stats.decodeNanos += nanos;
        }
    }

    private void validate(Batch batch) {
        for (int i = 0; i < batch.size(); i++) {
            Batch.Entry en = batch.get(i);
            if (en.count() == 0) throw new StrataException("no tokens to evaluate");
            for (int t = 0; t < en.count(); t++) {
                int id = en.token(t);
                if (id < 0 || id >= c.vocabSize()) throw new StrataException("token id " + id + " is outside the vocabulary (0-" + (c.vocabSize() - 1) + ")");
            }
            for (int j = 0; j < i; j++) {
                if (batch.get(j).sequence() == en.sequence()) throw new StrataException("a sequence appears twice in one batch");
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            Sequence seq = batch.get(i).sequence();
            seq.cache().ensureCapacity(seq.position() + batch.get(i).count());
        }
    }

    private void runGroup(Workspace ws, Batch batch, ExecutionPlan plan, int[] members, int m, ForwardStats stats) {
        int e = c.embeddingLength(), n = 0, outRowCount = 0;
        for (int i = 0; i < m; i++) n += batch.get(members[i]).count();
        ws.reserveRows(n);
        float[] x = ws.x = Workspace.grow(ws.x, n * e);
        for (int i = 0, r = 0; i < m; i++) {
            Batch.Entry en = batch.get(members[i]);
            Sequence seq = en.sequence();
            int k = seq.expertsPerToken() > 0 ? seq.expertsPerToken() : c.expertUsedCount();
            for (int t = 0; t < en.count(); t++, r++) {
                ws.rowSeq[r] = seq;
                ws.rowPos[r] = seq.position() + t;
                ws.rowK[r] = k;
                ws.rowEntry[r] = members[i];
                kernels.dequantizeRow(model.tokenEmbedding(), en.token(t), x, r * e);
                if (en.allLogits() || t == en.count() - 1) {
                    ws.outOwner[outRowCount] = members[i];
                    ws.outRows[outRowCount++] = r;
                }
            }
        }
        var steps = plan.steps();
        for (int i = 0; i < steps.size(); i++) {
            ExecutionPlan.Step step = steps.get(i);
            var w = model.layer(step.weightLayer());
            int nextLayer = i + 1 < steps.size() ? steps.get(i + 1).weightLayer() : -1;
            attention.apply(ws, w, x, n, step.kvSlot(), stats);
            ffn.apply(ws, step.weightLayer(), w, nextLayer, nextLayer < 0 ? null : model.layer(nextLayer), x, n, stats);
        }
        float[] normed = ws.normed = Workspace.grow(ws.normed, outRowCount * e);
        for (int j = 0; j < outRowCount; j++) kernels.rmsnorm(normed, j * e, x, ws.outRows[j] * e, model.outputNorm(), e, c.rmsEps());
        int vocab = c.vocabSize();
        float[] logits = ws.logits = Workspace.grow(ws.logits, outRowCount * vocab);
        mm.run(model.output(), normed, outRowCount, logits, stats, ws, ws.outOwner);
        for (int i = 0, j = 0; i < m; i++) {
            Batch.Entry en = batch.get(members[i]);
            int rows = en.allLogits() ? en.count() : 1;
            System.arraycopy(logits, j * vocab, en.logitBuffer(rows, vocab), 0, rows * vocab);
            j += rows;
            en.sequence().advance(en.count());
        }
        java.util.Arrays.fill(ws.rowSeq, 0, n, null);
    }
}
