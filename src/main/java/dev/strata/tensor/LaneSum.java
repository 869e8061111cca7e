package dev.strata.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * Horizontal sums in a fixed lane order. {@code reduceLanes(ADD)} on floating-point vectors may
 * associate differently in the interpreter and in C2-compiled code, so the same input could give
 * different bits before and after JIT compilation; runs must be bit-reproducible.
 */
final class LaneSum {
    private LaneSum() {}

    static float of(FloatVector v) {
        float s = 0;
        for (int i = 0; i < v.length(); i++) s += v.lane(i);
        return s;
    }

    static double of(DoubleVector v) {
        double s = 0;
        for (int i = 0; i < v.length(); i++) s += v.lane(i);
        return s;
    }
}
