package dev.strata.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {
    /** All filters off, temperature 1: draws follow softmax(logits) exactly. */
    private static final SamplerConfig PLAIN = new SamplerConfig(1f, 0, 1f, 0f, 1f, 64, 42);

    private static float[] logitsOf(double... probabilities) {
        float[] out = new float[probabilities.length];
        for (int i = 0; i < out.length; i++) out[i] = (float) Math.log(probabilities[i]);
        return out;
    }

    private static double[] frequencies(Sampler sampler, float[] logits, int draws) {
        double[] counts = new double[logits.length];
        for (int i = 0; i < draws; i++) counts[sampler.sample(logits, logits.length)]++;
        for (int i = 0; i < counts.length; i++) counts[i] /= draws;
        return counts;
    }

    private static double chiSquare(double[] observedFrequencies, double[] expected, int draws) {
        double chi = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] == 0) continue;
            double diff = observedFrequencies[i] * draws - expected[i] * draws;
            chi += diff * diff / (expected[i] * draws);
        }
        return chi;
    }

    @Test
    void defaultsMatchLlamaCpp() {
        SamplerConfig d = SamplerConfig.defaults();
        assertEquals(new SamplerConfig(0.8f, 40, 0.95f, 0.05f, 1.0f, 64, -1), d);
        assertTrue(SamplerConfig.greedy().isGreedy());
    }

    @Test
    void greedyPicksArgmaxWithLowestIdOnTies() {
        Sampler s = new Sampler(SamplerConfig.greedy());
        assertEquals(2, s.sample(new float[] {0.1f, -3f, 7.5f, 7.4f}, 4));
        assertEquals(1, s.sample(new float[] {0f, 5f, 5f, 5f}, 4));
        assertEquals(0, s.sample(new float[] {9f, 5f, 10f}, 2), "only the first vocabSize logits count");
    }

    @Test
    void topKOneIsGreedyAtAnyTemperature() {
        SplittableRandom r = new SplittableRandom(1);
        float[] logits = new float[1000];
        for (int i = 0; i < logits.length; i++) logits[i] = (float) r.nextGaussian();
        int best = Sampler.argmax(logits, logits.length);
        for (float temperature : new float[] {0.1f, 1f, 5f, 1000f}) {
            Sampler s = new Sampler(new SamplerConfig(temperature, 1, 1f, 0f, 1f, 64, 7));
            for (int i = 0; i < 200; i++) assertEquals(best, s.sample(logits, logits.length), "temperature " + temperature);
        }
    }

    @Test
    void topKDrawsOnlyFromTheKBest() {
        SplittableRandom r = new SplittableRandom(2);
        int vocab = 151_936;
        float[] logits = new float[vocab];
        for (int i = 0; i < vocab; i++) logits[i] = (float) r.nextGaussian();
        float[] sorted = logits.clone();
        Arrays.sort(sorted);
        float fortiethBest = sorted[vocab - 40];
        Sampler s = new Sampler(new SamplerConfig(5f, 40, 1f, 0f, 1f, 64, 3));
        boolean[] seen = new boolean[vocab];
        int distinct = 0;
        for (int i = 0; i < 2000; i++) {
            int t = s.sample(logits, vocab);
            assertTrue(logits[t] >= fortiethBest);
            if (!seen[t]) {
                seen[t] = true;
                distinct++;
            }
        }
        assertEquals(40, distinct, "a hot temperature should reach all 40");
    }

    @Test
    void samplingWithoutFiltersFollowsSoftmax() {
        double[] p = {0.5, 0.25, 0.125, 0.0625, 0.0625};
        int draws = 100_000;
        double[] f = frequencies(new Sampler(PLAIN), logitsOf(p), draws);
        assertTrue(chiSquare(f, p, draws) < 18.47, "chi-square, 4 dof, p=0.001: " + Arrays.toString(f));
    }

    @Test
    void topPKeepsTheMinimalNucleusRenormalised() {
        double[] p = {0.4, 0.3, 0.15, 0.1, 0.05};
        // cumulative 0.4, 0.7, 0.85: the first three reach 0.8
        double[] expected = {0.4 / 0.85, 0.3 / 0.85, 0.15 / 0.85, 0, 0};
        int draws = 100_000;
        double[] f = frequencies(new Sampler(PLAIN.withTopP(0.8f)), logitsOf(p), draws);
        assertEquals(0.0, f[3] + f[4], "outside the nucleus");
        assertTrue(chiSquare(f, expected, draws) < 13.82, "chi-square, 2 dof, p=0.001: " + Arrays.toString(f));
        // exactly reaching p keeps no more than needed
        double[] g = frequencies(new Sampler(PLAIN.withTopP(0.7f)), logitsOf(p), 20_000);
        assertEquals(0.0, g[2] + g[3] + g[4]);
    }

    @Test
    void minPDropsTokensBelowAFractionOfTheTopProbability() {
        double[] p = {0.5, 0.2, 0.1, 0.04, 0.16};
        // min-p 0.1 keeps p >= 0.05: drops only token 3
        double[] expected = {0.5 / 0.96, 0.2 / 0.96, 0.1 / 0.96, 0, 0.16 / 0.96};
        int draws = 100_000;
        double[] f = frequencies(new Sampler(PLAIN.withMinP(0.1f)), logitsOf(p), draws);
        assertEquals(0.0, f[3]);
        assertTrue(chiSquare(f, expected, draws) < 16.27, "chi-square, 3 dof, p=0.001: " + Arrays.toString(f));
    }

    @Test
    void temperatureScalesLogitsBeforeTheDraw() {
        float[] logits = {2f, 1f, 0.5f, 0f, -1f};
        int draws = 100_000;
        double previousEntropy = 0;
        for (float temperature : new float[] {0.5f, 1f, 2f}) {
            double[] expected = new double[logits.length];
            double sum = 0;
            for (int i = 0; i < logits.length; i++) sum += expected[i] = Math.exp(logits[i] / temperature);
            for (int i = 0; i < logits.length; i++) expected[i] /= sum;
            double[] f = frequencies(new Sampler(PLAIN.withTemperature(temperature)), logits, draws);
            for (int i = 0; i < logits.length; i++) assertEquals(expected[i], f[i], 0.01, "T=" + temperature + " token " + i);
            double entropy = 0;
            for (double q : f) if (q > 0) entropy -= q * Math.log(q);
            assertTrue(entropy > previousEntropy, "entropy rises with temperature");
            previousEntropy = entropy;
        }
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogits() {
        SamplerConfig greedy = SamplerConfig.greedy().withRepeatPenalty(2f, 64);
        Sampler s = new Sampler(greedy);
        float[] logits = {2.0f, 1.5f, -1.0f, -1.2f};
        assertEquals(0, s.sample(logits, 4));
        s.accept(0); // 2.0 -> 1.0
        assertEquals(1, s.sample(logits, 4));
        s.accept(1); // 1.5 -> 0.75
        assertEquals(0, s.sample(logits, 4));
        assertArrayEquals(new float[] {2.0f, 1.5f, -1.0f, -1.2f}, logits, "input logits untouched");

        Sampler negative = new Sampler(greedy);
        float[] allNegative = {-1.0f, -1.5f};
        negative.accept(0); // -1.0 -> -2.0
        assertEquals(1, negative.sample(allNegative, 2));
    }

    @Test
    void repetitionPenaltyAppliesOncePerTokenWithinTheWindow() {
        float[] logits = {2.0f, 0.9f, 0.8f};
        Sampler repeated = new Sampler(SamplerConfig.greedy().withRepeatPenalty(2f, 64));
        for (int i = 0; i < 3; i++) repeated.accept(0);
        assertEquals(0, repeated.sample(logits, 3), "2.0 / 2 once = 1.0, not 0.25");

        Sampler window = new Sampler(SamplerConfig.greedy().withRepeatPenalty(4f, 2));
        window.accept(0);
        window.accept(2);
        window.accept(2); // token 0 has left the two-token window
        assertEquals(0, window.sample(logits, 3));
        Sampler disabled = new Sampler(SamplerConfig.greedy().withRepeatPenalty(4f, 0));
        disabled.accept(0);
        assertEquals(0, disabled.sample(logits, 3));
    }

    @Test
    void sameSeedSameSequenceDifferentSeedDifferentSequence() {
        float[] logits = new float[500];
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < logits.length; i++) logits[i] = (float) r.nextGaussian();
        SamplerConfig config = new SamplerConfig(1.5f, 100, 0.99f, 0.001f, 1.1f, 16, 1234);
        int[] a = run(new Sampler(config), logits);
        int[] b = run(new Sampler(config), logits);
        int[] c = run(new Sampler(config.withSeed(4321)), logits);
        assertArrayEquals(a, b);
        assertNotEquals(Arrays.toString(a), Arrays.toString(c));

        Sampler randomSeeded = new Sampler(config.withSeed(SamplerConfig.RANDOM_SEED));
        assertArrayEquals(run(randomSeeded, logits), run(new Sampler(config.withSeed(randomSeeded.seed())), logits));
    }

    private static int[] run(Sampler sampler, float[] logits) {
        int[] out = new int[100];
        for (int i = 0; i < out.length; i++) {
            out[i] = sampler.sample(logits, logits.length);
            sampler.accept(out[i]);
        }
        return out;
    }

    @Test
    void sortKeysOrderByDescendingLogitThenId() {
        long[] keys = {Sampler.key(1f, 5), Sampler.key(-2f, 0), Sampler.key(1f, 3), Sampler.key(Float.NEGATIVE_INFINITY, 1),
                Sampler.key(0f, 2), Sampler.key(-0.5f, 4), Sampler.key(3f, 6)};
        Arrays.sort(keys);
        int[] ids = Arrays.stream(keys).mapToInt(k -> (int) k).toArray();
        assertArrayEquals(new int[] {6, 3, 5, 2, 4, 0, 1}, ids);
    }

    @Test
    void invalidInputIsRejected() {
        Sampler s = new Sampler(PLAIN);
        assertThrows(StrataException.class, () -> s.sample(new float[3], 4));
        assertThrows(StrataException.class, () -> new SamplerConfig(1f, 40, 0.9f, 2f, 1f, 64, 1));
        assertThrows(StrataException.class, () -> new SamplerConfig(1f, 40, 0.9f, 0.05f, 0f, 64, 1));
    }

    /** The vector argmax against a plain first-maximum scan: long vocabularies, ties, a maximum in the tail, -0.0, NaN. */
    @Test
    void argmaxFindsTheFirstMaximumLikeAPlainScan() {
        SplittableRandom rnd = new SplittableRandom(9);
        for (int n : new int[] {1, 63, 64, 65, 1000, 128_256, 151_936}) {
            for (int trial = 0; trial < 20; trial++) {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) v[i] = (float) rnd.nextDouble(-10, 10);
                switch (trial % 5) {
                    case 1 -> { v[n - 1] = 50; v[n / 2] = 50; }                 // a tie: the lower index wins
                    case 2 -> v[n - 1] = 60;                                     // the maximum in the scalar tail
                    case 3 -> { Arrays.fill(v, -0.0f); v[n - 1] = 0.0f; }        // signed zeros compare equal
                    case 4 -> v[rnd.nextInt(n)] = Float.NaN;                     // NaN is skipped as the scan skips it
                    default -> { }
                }
                int want = 0;
                for (int i = 1; i < n; i++) if (v[i] > v[want]) want = i;
                assertEquals(want, Sampler.argmax(v, n), "n=" + n + " trial " + trial);
            }
        }
    }
}
