package dev.strata.model.quantize;

import static org.junit.jupiter.api.Assertions.assertTrue;

import de.kherud.llama.LlamaCppOracle;
import dev.strata.SharedData;
import dev.strata.model.Model;
import dev.strata.runtime.WorkerPool;
import dev.strata.tensor.Kernels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The independent truth for the quality report's Q8_0 number: llama.cpp's own top-1 agreement between
 * stories260K F32 and llama-quantize's Q8_0 file (byte-identical to Strata's, see QuantizeCommandTest) at
 * the report's positions. llama.cpp only hands out greedy tokens, so its teacher-forced top-1 at position
 * p is the one greedy token it generates after the prompt prefix [0, p].
 */
class Q8AgreementOracleTest {
    static final Path F32 = SharedData.model("stories260K-F32.gguf");
    static final Path Q8 = SharedData.model("stories260K-Q8_0.gguf");

    @Test
    void strataQ8AgreementMatchesLlamaCppsOwn() {
        List<String> llamaF32 = new ArrayList<>(), llamaQ8 = new ArrayList<>(), strataF32 = new ArrayList<>(), strataQ8 = new ArrayList<>();
        try (LlamaCppOracle a = new LlamaCppOracle(F32, 256); LlamaCppOracle b = new LlamaCppOracle(Q8, 256);
                WorkerPool pool = new WorkerPool(2);
                Model f32 = Model.load(F32, Kernels.select("scalar")); Model q8 = Model.load(Q8, Kernels.select("scalar"))) {
            int v = f32.config().vocabSize();
            List<int[]> prompts = QualityReport.prompts(F32, v, f32.config().contextLength());
            for (int[] prompt : prompts) {
                float[] la = QuantizeCommandTest.logits(f32, pool, prompt), lb = QuantizeCommandTest.logits(q8, pool, prompt);
                for (int pos = 0; pos < prompt.length; pos++) {
                    int[] prefix = Arrays.copyOf(prompt, pos + 1);
                    llamaF32.add(a.greedyPieces(prefix, 1).get(0));
                    llamaQ8.add(b.greedyPieces(prefix, 1).get(0));
                    strataF32.add(a.piece(QualityReport.argmax(la, pos * v, v)));
                    strataQ8.add(a.piece(QualityReport.argmax(lb, pos * v, v)));
                }
            }
        }
        int n = llamaF32.size();
        int llamaAgree = 0, strataAgree = 0, sameF32 = 0, sameQ8 = 0;
        StringBuilder where = new StringBuilder();
        for (int i = 0; i < n; i++) {
            boolean l = llamaF32.get(i).equals(llamaQ8.get(i)), s = strataF32.get(i).equals(strataQ8.get(i));
            if (l) llamaAgree++;
            if (s) strataAgree++;
            if (llamaF32.get(i).equals(strataF32.get(i))) sameF32++;
            if (llamaQ8.get(i).equals(strataQ8.get(i))) sameQ8++;
            if (!l || !s) {
                where.append(String.format("  position %d: llama.cpp F32 '%s' Q8_0 '%s'; Strata F32 '%s' Q8_0 '%s'%n",
                        i, llamaF32.get(i), llamaQ8.get(i), strataF32.get(i), strataQ8.get(i)));
            }
        }
        System.out.printf("stories260K Q8_0 vs F32 top-1 agreement over %d positions: llama.cpp %.4f (%d differ), Strata %.4f (%d differ)%n"
                        + "same top-1 as llama.cpp: F32 %d/%d, Q8_0 %d/%d%n%s",
                n, (double) llamaAgree / n, n - llamaAgree, (double) strataAgree / n, n - strataAgree, sameF32, n, sameQ8, n, where);
        assertTrue(n >= 200, "several hundred positions expected, got " + n);
        // Strata and llama.cpp sum in different orders, so single near ties may flip either way; more than a
        // handful of extra disagreements would mean Strata's Q8_0 path is less faithful than llama.cpp's.
        assertTrue(Math.abs(llamaAgree - strataAgree) <= 4, "Strata " + strataAgree + " vs llama.cpp " + llamaAgree + " agreeing positions");
    }
}
