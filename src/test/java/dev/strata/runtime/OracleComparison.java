package dev.strata.runtime;

import dev.strata.weights.Model;
import java.util.ArrayList;
import java.util.List;

/**
 * Teacher-forces an oracle case through Strata and compares, per step, the logits of the oracle's
 * top-5 tokens and the greedy choice. Steps whose oracle top-1/top-2 gap is within the tolerance
 * are near ties, where a different greedy token is legitimate.
 */
final class OracleComparison {
    final List<String> logitFailures = new ArrayList<>();
    final List<String> greedyFailures = new ArrayList<>();
    final List<Integer> stepsOverTolerance = new ArrayList<>();
    float maxDiff;
    int nearTies;

    static OracleComparison run(Forward forward, OracleCase oc, float tolerance) {
        OracleComparison r = new OracleComparison();
        Model m = forward.model();
        Sequence seq = new Sequence(m.config(), ExecutionPlan.identity(m.config().blockCount()), 512, 0);
        int[] input = oc.teacherForcedInput();
        float[] logits = forward.forward(seq, input, true, new ForwardStats());
        int vocab = m.config().vocabSize();
        int p = oc.promptIds().length;
        for (int s = 0; s < oc.generatedIds().length; s++) {
            int row = (p - 1 + s) * vocab;
            float stepMax = 0;
            for (int i = 0; i < oc.topIds()[s].length; i++) {
                float mine = logits[row + oc.topIds()[s][i]];
                float d = Math.abs(mine - oc.topLogits()[s][i]);
                stepMax = Math.max(stepMax, d);
            }
            r.maxDiff = Math.max(r.maxDiff, stepMax);
            if (stepMax > tolerance) {
                r.stepsOverTolerance.add(s);
                r.logitFailures.add(String.format("%s step %d: max |logit diff| %.4f > %.3f", oc.id(), s, stepMax, tolerance));
            }
            int argmax = argmax(logits, row, vocab);
            boolean nearTie = oc.gap(s) <= tolerance;
            if (nearTie) r.nearTies++;
            if (argmax != oc.generatedIds()[s] && !nearTie) {
                r.greedyFailures.add(String.format("%s step %d: greedy %d, oracle %d (gap %.3f)", oc.id(), s, argmax, oc.generatedIds()[s], oc.gap(s)));
            }
        }
        return r;
    }

    static int argmax(float[] a, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (a[off + i] > a[off + best]) best = i;
        return best;
    }
}
