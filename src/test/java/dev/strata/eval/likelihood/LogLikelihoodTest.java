package dev.strata.eval.likelihood;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The log-softmax, lm-eval's rolling windows and llama.cpp's uncertainty against hand-computed values. */
class LogLikelihoodTest {

    @Test
    void logProbIsTheLogSoftmax() {
        float[] logits = {9f, 0f, (float) Math.log(3), 9f};
        // row starting at 1: softmax of {0, ln 3} = {1/4, 3/4}
        assertEquals(Math.log(0.75), LogLikelihood.logProb(logits, 1, 2, 1), 1e-7);
        assertEquals(Math.log(0.25), LogLikelihood.logProb(logits, 1, 2, 0), 1e-7);
        assertTrue(LogLikelihood.isArgmax(logits, 1, 2, 1));
        assertTrue(LogLikelihood.isArgmax(new float[] {2, 2}, 0, 2, 0), "ties go to the lowest id");
    }

    @Test
    void rollingWindowsPredictEveryTokenOnceAsLmEvalDoes() {
        int[] tokens = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        List<LogLikelihood.Window> w = LogLikelihood.rollingWindows(tokens, 0, 4);
        // lm-eval get_rolling_token_windows(tokens, prefix 0, max_seq_len 4, context_len 1) + make_disjoint_window
        assertEquals(3, w.size());
        assertArrayEquals(new int[] {0, 1, 2, 3}, w.get(0).input());
        assertArrayEquals(new int[] {1, 2, 3, 4}, w.get(0).targets());
        assertArrayEquals(new int[] {4, 5, 6, 7}, w.get(1).input());
        assertArrayEquals(new int[] {5, 6, 7, 8}, w.get(1).targets());
        assertArrayEquals(new int[] {6, 7, 8, 9}, w.get(2).input());
        assertArrayEquals(new int[] {9, 10}, w.get(2).targets());
        List<LogLikelihood.Window> shortDoc = LogLikelihood.rollingWindows(new int[] {7, 8}, 0, 4);
        assertEquals(1, shortDoc.size());
        assertArrayEquals(new int[] {0, 7}, shortDoc.get(0).input());
    }

    @Test
    void uncertaintyIsLlamaCppsStandardErrorTimesPpl() {
        // token NLLs 1, 2, 3: mean 2, population variance 2/3, standard error sqrt((2/3)/2)
        Perplexity.Totals t = new Perplexity.Totals(6, 14, 3, 12);
        assertEquals(Math.exp(2), t.ppl(), 1e-12);
        assertEquals(Math.exp(2) * Math.sqrt(1.0 / 3), t.pplUncertainty(), 1e-12);
        assertEquals(6 / Math.log(2) / 12, t.bitsPerByte(), 1e-12);
        assertTrue(Double.isNaN(new Perplexity.Totals(2, 2, 2, 2).pplUncertainty()), "no spread, no uncertainty");
    }

    @Test
    void tooShortATextIsAOneLineError() {
        var e = assertThrows(dev.strata.StrataException.class, () -> Perplexity.chunkCount(100, 64, -1));
        assertEquals("you need at least 128 tokens to evaluate perplexity with a context of 64; the text tokenizes to only 100", e.getMessage());
        assertEquals(2, Perplexity.chunkCount(200, 64, 2));
        assertEquals(3, Perplexity.chunkCount(200, 64, -1));
    }
}
