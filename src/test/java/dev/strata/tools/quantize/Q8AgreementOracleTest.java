package dev.strata.tools.quantize;

import static org.junit.jupiter.api.Assertions.assertTrue;

import de.kherud.llama.LlamaCppOracle;
import dev.strata.SharedData;
import dev.strata.weights.Model;
import dev.strata.runtime.ExecutionPlan;
import dev.strata.runtime.Forward;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;
import dev.strata.runtime.WorkerPool;
import dev.strata.tensor.KernelProvider;
import dev.strata.tensor.Kernels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The independent truth for the quality report's Q8_0 number: llama.cpp's own top-1 agreement between
 * stories260K F32 and llama-quantize's Q8_0 file (byte-identical to Strata's, see QuantizeCommandTest) at
 * the same positions. llama.cpp only hands out greedy tokens, so its teacher-forced top-1 at position p
 * is the one greedy token it generates after the prefix [0, p].
 */
class Q8AgreementOracleTest {
    static final Path F32 = SharedData.model("stories260K-F32.gguf");
    static final Path Q8 = SharedData.model("stories260K-Q8_0.gguf");
    static final KernelProvider K = Kernels.select("scalar");
    /** Strata and llama.cpp sum in different orders, so single near ties may flip either way. */
    static final int TOLERATED_EXTRA_FLIPS = 4;

    /** The quality report's positions: every position of the fixed prompts. */
    @Test
    void reportPositionsAgreeAsOftenAsInLlamaCpp() {
        List<int[]> prompts = QualityReport.prompts(F32, 512, 512);
        Counts c = compare(prompts, new int[prompts.size()]);
        assertTrue(c.positions >= 200, "several hundred positions expected, got " + c.positions);
        assertTrue(Math.abs(c.llamaAgree - c.strataAgree) <= TOLERATED_EXTRA_FLIPS, c.toString());
    }

    /** Positions on the F32 model's own greedy continuation after a short prompt prefix, where it is confident. */
    @Test
    void greedyContinuationPositionsAgreeAsOftenAsInLlamaCpp() {
        List<int[]> sequences = new ArrayList<>();
        int prefix = 8, steps = 56;
        try (WorkerPool pool = new WorkerPool(2); Model f32 = Model.load(F32, K)) {
            for (int[] p : QualityReport.prompts(F32, 512, 512)) sequences.add(greedy(f32, pool, Arrays.copyOf(p, prefix), steps));
        }
        int[] from = new int[sequences.size()];
        Arrays.fill(from, prefix - 1);
        Counts c = compare(sequences, from);
        assertTrue(Math.abs(c.llamaAgree - c.strataAgree) <= TOLERATED_EXTRA_FLIPS, c.toString());
    }

    record Counts(int positions, int llamaAgree, int strataAgree, int sameF32, int sameQ8) {
        @Override
        public String toString() {
            return String.format("Q8_0 vs F32 top-1 agreement over %d positions: llama.cpp %.4f (%d differ), Strata %.4f (%d differ); "
                            + "Strata's top-1 equals llama.cpp's on F32 %d/%d, Q8_0 %d/%d",
                    positions, (double) llamaAgree / positions, positions - llamaAgree, (double) strataAgree / positions,
                    positions - strataAgree, sameF32, positions, sameQ8, positions);
        }
    }

    /** Top-1 of both files in both engines at positions from[i].. of sequence i, teacher-forced. */
    static Counts compare(List<int[]> sequences, int[] from) {
        int n = 0, llamaAgree = 0, strataAgree = 0, sameF32 = 0, sameQ8 = 0;
        StringBuilder where = new StringBuilder();
        try (LlamaCppOracle a = new LlamaCppOracle(F32, 256); LlamaCppOracle b = new LlamaCppOracle(Q8, 256);
                WorkerPool pool = new WorkerPool(2); Model f32 = Model.load(F32, K); Model q8 = Model.load(Q8, K)) {
            int v = f32.config().vocabSize();
            for (int s = 0; s < sequences.size(); s++) {
                int[] seq = sequences.get(s);
                float[] la = QuantizeCommandTest.logits(f32, pool, seq), lb = QuantizeCommandTest.logits(q8, pool, seq);
                for (int pos = from[s]; pos < seq.length; pos++) {
                    int[] prefix = Arrays.copyOf(seq, pos + 1);
                    String lF32 = a.greedyPieces(prefix, 1).get(0), lQ8 = b.greedyPieces(prefix, 1).get(0);
                    String sF32 = a.piece(QualityReport.argmax(la, pos * v, v)), sQ8 = a.piece(QualityReport.argmax(lb, pos * v, v));
                    if (lF32.equals(lQ8)) llamaAgree++;
                    if (sF32.equals(sQ8)) strataAgree++;
                    if (lF32.equals(sF32)) sameF32++;
                    if (lQ8.equals(sQ8)) sameQ8++;
                    if (!lF32.equals(lQ8) || !sF32.equals(sQ8)) {
                        where.append(String.format("  sequence %d position %d: llama.cpp F32 '%s' Q8_0 '%s'; Strata F32 '%s' Q8_0 '%s'%n",
                                s, pos, lF32, lQ8, sF32, sQ8));
                    }
                    n++;
                }
            }
        }
        Counts c = new Counts(n, llamaAgree, strataAgree, sameF32, sameQ8);
        System.out.printf("stories260K %s%n%s", c, where);
        return c;
    }

    static int[] greedy(Model m, WorkerPool pool, int[] prompt, int steps) {
        Forward f = new Forward(m, K, pool);
        Sequence seq = new Sequence(m.config(), ExecutionPlan.identity(m.config().blockCount()), prompt.length + steps + 1, 0);
        int[] out = Arrays.copyOf(prompt, prompt.length + steps);
        float[] logits = f.forward(seq, prompt, false, new ForwardStats());
        for (int i = 0; i < steps; i++) {
            out[prompt.length + i] = QualityReport.argmax(logits, 0, logits.length);
            logits = f.forward(seq, new int[] {out[prompt.length + i]}, false, new ForwardStats());
        }
        return out;
    }
}
