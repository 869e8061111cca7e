package dev.strata.train.ops;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VecOpsTest {
    @Test
    void expIsAccurateOverTheSoftmaxAndSigmoidRange() {
        float[] x = new float[8], out = new float[8];
        double worst = 0;
        for (float start = -80f; start < 80f; start += 0.37f) {
            for (int i = 0; i < 8; i++) x[i] = start + i * 0.0461f;
            VecOps.exp(FloatVector.fromArray(FloatVector.SPECIES_256, x, 0)).intoArray(out, 0);
            for (int i = 0; i < 8; i++) worst = Math.max(worst, Math.abs(out[i] / Math.exp(x[i]) - 1));
        }
        assertTrue(worst < 5e-7, "relative error " + worst);
        VecOps.exp(FloatVector.broadcast(FloatVector.SPECIES_256, -1000f)).intoArray(out, 0);
        assertTrue(out[0] >= 0 && out[0] < 1e-37, "clamped underflow " + out[0]);
    }

    @Test
    void laneSumHasAFixedOrder() {
        SplittableRandom rng = new SplittableRandom(1);
        float[] v = new float[8];
        for (int i = 0; i < 8; i++) v[i] = (float) ((rng.nextDouble() - 0.5) * Math.pow(10, rng.nextInt(8)));
        float expected = (((v[0] + v[4]) + (v[1] + v[5])) + (v[2] + v[6])) + (v[3] + v[7]);
        assertEquals(expected, VecOps.sumLanes(FloatVector.fromArray(FloatVector.SPECIES_256, v, 0)), 0f);
    }
}
