package dev.strata.sample;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import dev.strata.StrataException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from logits with llama.cpp's default chain: repetition penalty, top-k, top-p,
 * min-p, temperature, then a draw from the remaining distribution. Typical-p, DRY, XTC and mirostat are
 * not implemented (llama.cpp's defaults leave them off).
 *
 * <p>Buffers are sized to the vocabulary once and reused, so a call allocates nothing. Not thread-safe:
 * one sampler per sequence.
 */
public final class Sampler {
    private final SamplerConfig config;
    private final long seed;
    private final SplittableRandom random;
    private final TokenHistory history;
    private final LogitProcessor processor;

    private float[] work = new float[0];
    /** Candidates as (descending logit, ascending id) sort keys, see {@link #key}. */
    private long[] keys = new long[0];
    private double[] probs = new double[0];
    /** Per-token stamp of the last call that penalised it, so each token is penalised once per call. */
    private int[] penalisedStamp = new int[0];
    private int stamp;

    public Sampler(SamplerConfig config) {
        this(config, null);
    }

    /** @param processor applied to the working logits after the repetition penalty (null: none) */
    public Sampler(SamplerConfig config, LogitProcessor processor) {
        this.config = config;
        this.processor = processor;
        this.seed = config.seed() == SamplerConfig.RANDOM_SEED ? new SplittableRandom().nextLong() : config.seed();
        this.random = new SplittableRandom(seed);
        this.history = new TokenHistory(config.repeatLastN());
    }

    /** The seed in use; for a config seed of -1, the randomly chosen one (to reproduce a run). */
    public long seed() { return seed; }

    public SamplerConfig config() { return config; }

    /** Records a token that is now part of the sequence (prompt or generated), for the repetition penalty. */
    public void accept(int token) {
        history.add(token);
    }

    /** Forgets the accepted tokens. */
    public void reset() {
        history.clear();
    }

    /** Samples a token id from the first {@code vocabSize} entries of {@code logits}; the array is not modified. */
    public int sample(float[] logits, int vocabSize) {
        if (vocabSize <= 0 || vocabSize > logits.length) {
            throw new StrataException("vocab size " + vocabSize + " does not fit logits of length " + logits.length);
        }
        boolean penalise = config.repeatPenalty() != 1.0f && config.repeatLastN() != 0 && history.size() > 0;
        // greedy with nothing to adjust: the logits as they are (no copy of a 128K-entry vocabulary)
        if (config.isGreedy() && processor == null && !penalise) return argmax(logits, vocabSize);
        ensureCapacity(vocabSize);
        System.arraycopy(logits, 0, work, 0, vocabSize);
        applyRepetitionPenalty(vocabSize);
        if (processor != null) processor.apply(work, vocabSize);
        if (config.isGreedy()) return argmax(work, vocabSize);

        int size = topK(vocabSize);
        size = topP(size);
        size = minP(size);
        return draw(size, config.temperature());
    }

    private void ensureCapacity(int n) {
        if (work.length >= n) return;
        work = new float[n];
        keys = new long[n];
        probs = new double[n];
        penalisedStamp = new int[n];
    }

    /** llama.cpp: a positive logit is divided by the penalty, a non-positive one multiplied. */
    private void applyRepetitionPenalty(int vocabSize) {
        float penalty = config.repeatPenalty();
        if (penalty == 1.0f || config.repeatLastN() == 0 || history.size() == 0) return;
        stamp++;
        if (stamp == 0) { // wrapped: old stamps could collide
            Arrays.fill(penalisedStamp, 0);
            stamp = 1;
        }
        for (int i = 0; i < history.size(); i++) {
            int token = history.get(i);
            if (token < 0 || token >= vocabSize || penalisedStamp[token] == stamp) continue;
            penalisedStamp[token] = stamp;
            work[token] = work[token] <= 0 ? work[token] * penalty : work[token] / penalty;
        }
    }

    /**
     * Index of the largest value; the lowest index among equals. The maximum is found with vectors
     * (exactly as Math.max would), then its first position; NaN logits take the scalar scan.
     */
    static int argmax(float[] values, int n) {
        VectorSpecies<Float> s = FloatVector.SPECIES_PREFERRED;
        int i = 0;
        if (n >= 4 * s.length()) {
            FloatVector m = FloatVector.fromArray(s, values, 0);
            for (i = s.length(); i <= n - s.length(); i += s.length()) m = m.max(FloatVector.fromArray(s, values, i));
            float max = m.reduceLanes(VectorOperators.MAX);
            for (; i < n; i++) max = Math.max(max, values[i]);
            if (!Float.isNaN(max)) {
                for (int j = 0; j < n; j++) if (values[j] == max) return j;
            }
        }
        return argmaxScalar(values, n);
    }

    private static int argmaxScalar(float[] values, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (values[i] > values[best]) best = i;
        }
        return best;
    }

    /** Sorts the k best candidates to the front of {@link #keys} (all of them when top-k is off) and returns k. */
    private int topK(int vocabSize) {
        int k = config.topK() <= 0 ? vocabSize : Math.min(config.topK(), vocabSize);
        if (k == vocabSize) {
            for (int id = 0; id < vocabSize; id++) keys[id] = key(work[id], id);
        } else {
            keepSmallestKeys(k, vocabSize);
        }
        Arrays.sort(keys, 0, k);
        return k;
    }

    /**
     * One pass with a max-heap of the k smallest keys in {@code keys[0, k)}: most tokens lose to the
     * heap's root with a single comparison, so this is close to a plain scan for k much less than n.
     */
    private void keepSmallestKeys(int k, int vocabSize) {
        for (int id = 0; id < k; id++) keys[id] = key(work[id], id);
        for (int i = k / 2 - 1; i >= 0; i--) siftDown(keys, i, k);
        for (int id = k; id < vocabSize; id++) {
            long candidate = key(work[id], id);
            if (candidate < keys[0]) {
                keys[0] = candidate;
                siftDown(keys, 0, k);
            }
        }
    }

    private static void siftDown(long[] heap, int index, int size) {
        long value = heap[index];
        while (true) {
            int child = 2 * index + 1;
            if (child >= size) break;
            if (child + 1 < size && heap[child + 1] > heap[child]) child++;
            if (heap[child] <= value) break;
            heap[index] = heap[child];
            index = child;
        }
        heap[index] = value;
    }

    /** Keeps the smallest prefix whose probability mass reaches top-p (at least one token). */
    private int topP(int size) {
        float p = config.topP();
        if (p >= 1.0f) return size;
        double sum = softmax(size, 1.0f);
        double cumulative = 0;
        for (int i = 0; i < size; i++) {
            cumulative += probs[i] / sum;
            if (cumulative >= p) return i + 1;
        }
        return size;
    }

    /** Keeps candidates whose probability is at least min-p times the top one's, i.e. logit >= max + ln(min-p). */
    private int minP(int size) {
        float p = config.minP();
        if (p <= 0.0f) return size;
        double threshold = logitOf(0) + Math.log(p);
        int kept = 1;
        while (kept < size && logitOf(kept) >= threshold) kept++;
        return kept;
    }

    private int draw(int size, float temperature) {
        double sum = softmax(size, temperature);
        double target = random.nextDouble() * sum;
        double cumulative = 0;
        for (int i = 0; i < size; i++) {
            cumulative += probs[i];
            if (target < cumulative) return idOf(i);
        }
        return idOf(size - 1);
    }

    /** Fills {@link #probs} with unnormalised exp((logit - max) / temperature) and returns their sum. */
    private double softmax(int size, float temperature) {
        double max = logitOf(0);
        double sum = 0;
        for (int i = 0; i < size; i++) {
            probs[i] = Math.exp((logitOf(i) - max) / temperature);
            sum += probs[i];
        }
        return sum;
    }

    private float logitOf(int rank) { return work[idOf(rank)]; }

    private int idOf(int rank) { return (int) keys[rank]; }

    /**
     * A long whose ascending order is descending logit, then ascending id: the high half is the
     * complemented order-preserving int image of the float, the low half the id. NaN sorts last.
     */
    static long key(float logit, int id) {
        int bits = Float.isNaN(logit) ? Float.floatToIntBits(Float.NEGATIVE_INFINITY) : Float.floatToIntBits(logit);
        int ordered = bits ^ ((bits >> 31) & 0x7fffffff);
        return ((long) ~ordered << 32) | (id & 0xffffffffL);
    }

    /** The last {@code capacity} accepted tokens (all of them when capacity is -1). */
    private static final class TokenHistory {
        private final int capacity;
        private int[] tokens;
        private int start;
        private int size;

        TokenHistory(int capacity) {
            this.capacity = capacity;
            this.tokens = new int[capacity > 0 ? capacity : 64];
        }

        void add(int token) {
            if (capacity == 0) return;
            if (capacity < 0) {
                if (size == tokens.length) tokens = Arrays.copyOf(tokens, size * 2);
                tokens[size++] = token;
            } else if (size < capacity) {
                tokens[(start + size++) % capacity] = token;
            } else {
                tokens[start] = token;
                start = (start + 1) % capacity;
            }
        }

        int get(int i) { return tokens[(start + i) % tokens.length]; }

        int size() { return size; }

        void clear() {
            start = 0;
            size = 0;
        }
    }
}
