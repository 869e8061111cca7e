package dev.strata.train.ops;

import static dev.strata.train.ops.GradCheck.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class MoeFfnGradientTest {
    private static final int TOKENS = 6, DIM = 8, FFN = 5, EXPERTS = 4, USED = 2;
    private final SplittableRandom rng = new SplittableRandom(3);
    private final Gemm gemm = new Gemm();
    private final int router = 0, gate = router + EXPERTS * DIM, up = gate + EXPERTS * FFN * DIM,
            down = up + EXPERTS * FFN * DIM, total = down + EXPERTS * DIM * FFN;

    @Test
    void routerExpertsAndLoadBalancingLossHaveExactGradients() {
        MoeFfn moe = new MoeFfn(TOKENS, DIM, FFN, EXPERTS, USED);
        float[] p = random(rng, total, 0.7), x = random(rng, TOKENS * DIM, 1), r = random(rng, TOKENS * DIM, 1);
        float[] out = new float[TOKENS * DIM], grad = new float[total], dx = new float[x.length];
        float auxWeight = 0.5f;
        moe.forward(gemm, out, x, p, router, gate, up, down, auxWeight);
        moe.backward(gemm, dx, r, x, p, grad, router, gate, up, down, auxWeight);
        DoubleSupplier loss = () -> {
            double aux = moe.forward(gemm, out, x, p, router, gate, up, down, auxWeight);
            return project(out, r) + aux;
        };
        check("moe dx", x, dx, loss, 1);
        check("moe router", p, router, EXPERTS * DIM, grad, router, loss, 32, 2, 1e-3, 3e-2);
        check("moe gate experts", p, gate, EXPERTS * FFN * DIM, grad, gate, loss, 60, 3, 1e-2, 2e-2);
        check("moe up experts", p, up, EXPERTS * FFN * DIM, grad, up, loss, 60, 4, 1e-2, 2e-2);
        check("moe down experts", p, down, EXPERTS * DIM * FFN, grad, down, loss, 60, 5, 1e-2, 2e-2);
    }

    @Test
    void loadBalancingLossMatchesTheSwitchFormulaAndHasExactRouterGradients() {
        MoeFfn moe = new MoeFfn(TOKENS, DIM, FFN, EXPERTS, USED);
        float[] p = random(rng, total, 0.7), x = random(rng, TOKENS * DIM, 1);
        float[] out = new float[TOKENS * DIM], grad = new float[total], dx = new float[x.length];
        double aux = moe.forward(gemm, out, x, p, router, gate, up, down, 1f);
        assertEquals(switchBalancingLoss(p, x), aux, 1e-5);
        moe.backward(gemm, dx, new float[out.length], x, p, grad, router, gate, up, down, 1f);
        check("aux-only router", p, router, EXPERTS * DIM, grad, router,
                () -> moe.forward(gemm, out, x, p, router, gate, up, down, 1f), 32, 6, 1e-3, 3e-2);
    }

    /** E · Σ_e f_e · P_e computed in double from the router weights alone. */
    private static double switchBalancingLoss(float[] p, float[] x) {
        double[] meanProb = new double[EXPERTS];
        int[] picks = new int[EXPERTS];
        for (int t = 0; t < TOKENS; t++) {
            double[] z = new double[EXPERTS];
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int e = 0; e < EXPERTS; e++) {
                for (int i = 0; i < DIM; i++) z[e] += (double) p[e * DIM + i] * x[t * DIM + i];
                max = Math.max(max, z[e]);
            }
            for (int e = 0; e < EXPERTS; e++) sum += Math.exp(z[e] - max);
            Integer[] order = {0, 1, 2, 3};
            double[] prob = new double[EXPERTS];
            for (int e = 0; e < EXPERTS; e++) prob[e] = Math.exp(z[e] - max) / sum;
            java.util.Arrays.sort(order, (a, b) -> Double.compare(prob[b], prob[a]));
            for (int j = 0; j < USED; j++) picks[order[j]]++;
            for (int e = 0; e < EXPERTS; e++) meanProb[e] += prob[e] / TOKENS;
        }
        double loss = 0;
        for (int e = 0; e < EXPERTS; e++) loss += picks[e] / (double) (TOKENS * USED) * meanProb[e];
        return EXPERTS * loss;
    }

    @Test
    void keepsTheHighestProbabilityExpertsRenormalised() {
        MoeFfn moe = new MoeFfn(1, 2, 1, 3, 2);
        // router rows: expert 0 ← x0, expert 1 ← x1, expert 2 ← -x0; x = (2, 1) ⇒ experts 0 then 1.
        float[] p = new float[3 * 2 + 3 * 2 + 3 * 2 + 3 * 2];
        p[0] = 1; p[3] = 1; p[4] = -1;
        float[] out = new float[2];
        moe.forward(gemm, out, new float[] {2, 1}, p, 0, 6, 12, 18, 0f);
        assertArrayEquals(new int[] {0, 1}, moe.selectedExperts());
    }
}
