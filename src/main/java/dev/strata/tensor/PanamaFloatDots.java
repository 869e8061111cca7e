package dev.strata.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API BF16 row dot (F32 and F16 live in {@link PanamaKernels}); activations are BF16-rounded floats. */
final class PanamaFloatDots {
    private PanamaFloatDots() {}

    private static final VectorSpecies<Float> F256 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Short> S128 = ShortVector.SPECIES_128;
    private static final VectorSpecies<Integer> I256 = IntVector.SPECIES_256;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    static float dotBF16(MemorySegment w, long off, float[] x, int xo, int n) {
        FloatVector acc0 = FloatVector.zero(F256), acc1 = FloatVector.zero(F256);
        int i = 0;
        for (; i + 16 <= n; i += 16) {
            acc0 = bf16ToFloat(ShortVector.fromMemorySegment(S128, w, off + 2L * i, LE)).fma(FloatVector.fromArray(F256, x, xo + i), acc0);
            acc1 = bf16ToFloat(ShortVector.fromMemorySegment(S128, w, off + 2L * (i + 8), LE)).fma(FloatVector.fromArray(F256, x, xo + i + 8), acc1);
        }
        float sum = LaneSum.of(acc0.add(acc1));
        for (; i < n; i++) sum += dev.strata.tensor.quant.Half.getBf16(w, off + 2L * i) * x[xo + i];
        return sum;
    }

    /** bf16 is the top half of an fp32: widen 8 lanes and shift the bits into place (exact, NaN included). */
    static FloatVector bf16ToFloat(ShortVector h) {
        IntVector bits = (IntVector) h.convertShape(VectorOperators.S2I, I256, 0);
        return bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }
}
