package dev.strata.tools.quantize;

import dev.strata.gguf.GgufFile;
import dev.strata.weights.Model;
import dev.strata.runtime.ExecutionPlan;
import dev.strata.runtime.Forward;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;
import dev.strata.runtime.WorkerPool;
import dev.strata.tensor.KernelProvider;
import dev.strata.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How closely a quantized model follows its source: teacher-forced next-token distributions on the
 * same prompts (every prompt position, teacher-forced on the text as in llama-perplexity's KL-divergence mode), compared
 * by top-1 agreement and mean KL(source || quantized). A disagreement counts as a near tie when the
 * source gives its top-1 less than {@link #NEAR_TIE_LEAD} more probability than the quantized model's pick.
 */
public record QualityReport(int positions, int disagreements, int nearTies, double meanKl,
                            int continuationPositions, int continuationDisagreements) {

    static final List<String> PROMPTS = List.of(
            "Once upon a time, there was a little girl named Lily. She loved to play outside in the sunshine with her dog. One day, she saw a big red ball in the park and wanted to take it home.",
            "The quick brown fox jumps over the lazy dog while the farmer watches from the window of the old wooden house, wondering whether it will rain before the harvest is done.",
            "Tom and his mom went to the store to buy some food. Tom wanted a cookie, but mom said he had to eat his vegetables first. Tom was sad, but then he had an idea.",
            "In the beginning the universe was created. This has made a lot of people very angry and been widely regarded as a bad move. Many were increasingly of the opinion that they had all made a big mistake.");
    static final int MAX_TOKENS_PER_PROMPT = 128;
    /** Greedy continuations: the source continues the first PREFIX_TOKENS of each prompt by CONTINUATION_TOKENS. */
    static final int PREFIX_TOKENS = 8, CONTINUATION_TOKENS = 56;
    public static final double NEAR_TIE_LEAD = 0.05;

    public double top1Agreement() {
        return (double) (positions - disagreements) / positions;
    }

    public double continuationAgreement() {
        return continuationPositions == 0 ? 1 : (double) (continuationPositions - continuationDisagreements) / continuationPositions;
    }

    @Override
    public String toString() {
        return String.format("quality: top-1 agreement %.4f over %d positions (%d differ, %d of them near ties: source top-1 lead < %.2f probability), mean KL %.5f%n"
                        + "quality: top-1 agreement on the source's greedy continuations %.4f over %d positions (%d differ)",
                top1Agreement(), positions, disagreements, nearTies, NEAR_TIE_LEAD, meanKl,
                continuationAgreement(), continuationPositions, continuationDisagreements);
    }

    public static QualityReport measure(Path source, Path quantized, KernelProvider kernels, int threads) {
        try (WorkerPool pool = new WorkerPool(threads); Model a = Model.load(source, kernels); Model b = Model.load(quantized, kernels)) {
            int n = 0, differ = 0, nearTies = 0, cn = 0, cdiffer = 0;
            double kl = 0;
            int v = a.config().vocabSize();
            for (int[] prompt : prompts(source, v, a.config().contextLength())) {
                int[] text = greedyContinuation(a, kernels, pool, java.util.Arrays.copyOf(prompt, Math.min(PREFIX_TOKENS, prompt.length)));
                float[] ca = logits(a, kernels, pool, text), cb = logits(b, kernels, pool, text);
                for (int pos = PREFIX_TOKENS - 1; pos < text.length - 1; pos++) {
                    if (argmax(ca, pos * v, v) != argmax(cb, pos * v, v)) cdiffer++;
                    cn++;
                }
                float[] la = logits(a, kernels, pool, prompt), lb = logits(b, kernels, pool, prompt);
                for (int pos = 0; pos < prompt.length; pos++) {
                    int off = pos * v;
                    int ia = argmax(la, off, v), ib = argmax(lb, off, v);
                    if (ia != ib) {
                        differ++;
                        if (probabilityLead(la, off, v, ia, ib) < NEAR_TIE_LEAD) nearTies++;
                    }
                    kl += klDivergence(la, lb, off, v);
                    n++;
                }
            }
            return new QualityReport(n, differ, nearTies, kl / n, cn, cdiffer);
        }
    }

    /** prefix followed by the model's own greedy continuation (capped by the context length). */
    private static int[] greedyContinuation(Model m, KernelProvider k, WorkerPool pool, int[] prefix) {
        int total = Math.min(prefix.length + CONTINUATION_TOKENS, m.config().contextLength());
        int[] out = java.util.Arrays.copyOf(prefix, total);
        Sequence seq = new Sequence(m.config(), ExecutionPlan.identity(m.config().blockCount()), total, 0);
        Forward forward = new Forward(m, k, pool);
        float[] last = forward.forward(seq, prefix, false, new ForwardStats());
        for (int i = prefix.length; i < total; i++) {
            out[i] = argmax(last, 0, m.config().vocabSize());
            if (i + 1 < total) last = forward.forward(seq, new int[] {out[i]}, false, new ForwardStats());
        }
        return out;
    }

    private static float[] logits(Model m, KernelProvider k, WorkerPool pool, int[] tokens) {
        Sequence seq = new Sequence(m.config(), ExecutionPlan.identity(m.config().blockCount()), tokens.length, 0);
        return new Forward(m, k, pool).forward(seq, tokens, true, new ForwardStats());
    }

    /** The fixed prompts in the model's own tokenizer, or seeded random ids when the file has no tokenizer. */
    static List<int[]> prompts(Path model, int vocab, int contextLength) {
        int limit = Math.min(MAX_TOKENS_PER_PROMPT, contextLength);
        List<int[]> out = new ArrayList<>();
        Tokenizer tokenizer = null;
        try (GgufFile f = GgufFile.open(model)) {
            if (f.has("tokenizer.ggml.tokens")) tokenizer = Tokenizer.fromGguf(f);
            SplittableRandom random = new SplittableRandom(1);
            for (String text : PROMPTS) {
                int[] ids = tokenizer != null ? tokenizer.encode(text, true, false) : random.ints(limit, 0, vocab).toArray();
                out.add(java.util.Arrays.copyOf(ids, Math.min(ids.length, limit)));
            }
        }
        return out;
    }

    static int argmax(float[] x, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (x[off + i] > x[off + best]) best = i;
        return best;
    }

    /** softmax(x)[i] - softmax(x)[j] for one logit row. */
    static double probabilityLead(float[] x, int off, int n, int i, int j) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int k = 0; k < n; k++) max = Math.max(max, x[off + k]);
        for (int k = 0; k < n; k++) sum += Math.exp(x[off + k] - max);
        return (Math.exp(x[off + i] - max) - Math.exp(x[off + j] - max)) / sum;
    }

    /** KL(P || Q) for the softmax distributions of two logit rows, in nats. */
    static double klDivergence(float[] p, float[] q, int off, int n) {
        double maxP = Double.NEGATIVE_INFINITY, maxQ = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            maxP = Math.max(maxP, p[off + i]);
            maxQ = Math.max(maxQ, q[off + i]);
        }
        double sumP = 0, sumQ = 0;
        for (int i = 0; i < n; i++) {
            sumP += Math.exp(p[off + i] - maxP);
            sumQ += Math.exp(q[off + i] - maxQ);
        }
        double logZp = maxP + Math.log(sumP), logZq = maxQ + Math.log(sumQ), kl = 0;
        for (int i = 0; i < n; i++) {
            double logP = p[off + i] - logZp, logQ = q[off + i] - logZq;
            kl += Math.exp(logP) * (logP - logQ);
        }
        return Math.max(0, kl);
    }
}
