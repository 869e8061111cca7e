package dev.strata.tensor;

import static dev.strata.tensor.PanamaQuantDots.B128;
import static dev.strata.tensor.PanamaQuantDots.F256;
import static dev.strata.tensor.PanamaQuantDots.I256;
import static dev.strata.tensor.PanamaQuantDots.LE;
import static dev.strata.tensor.PanamaQuantDots.nibbleProducts;
import static dev.strata.tensor.PanamaQuantDots.pairSum;
import static dev.strata.tensor.PanamaQuantDots.scaled;

import dev.strata.tensor.quant.Half;
import dev.strata.tensor.quant.Q4K;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import dev.strata.tensor.quant.Activations;

/** Vector API row dot for Q5_K against Q8_K (the Q4_K kernel plus a 5th bit from qh). */
final class PanamaKQuantDots {
    private PanamaKQuantDots() {}

    private static final int BYTES = 176, SCALES = 4, QH = 16, QS = 48;

    /**
     * Chunk c of 64 values: qs[32c..32c+31] low nibbles are values 64c+i, high nibbles 64c+32+i;
     * their 5th bits are bits 2c and 2c+1 of qh[i]. Integer sums per 32-value sub-block times its
     * 6-bit scale; the mins go through the Q8_K bsums as in the scalar code.
     */
    static float dotQ5K(MemorySegment w, long off, int nb, Activations x, int t) {
        FloatVector acc = FloatVector.zero(F256);
        float minPart = 0;
        for (int i = 0; i < nb; i++) {
            long bo = off + (long) BYTES * i;
            int blk = t * nb + i;
            int qo = blk * 256;
            ByteVector qh0 = ByteVector.fromMemorySegment(B128, w, bo + QH, LE);
            ByteVector qh1 = ByteVector.fromMemorySegment(B128, w, bo + QH + 16, LE);
            IntVector sums = IntVector.zero(I256);
            for (int c = 0; c < 4; c++) {
                ByteVector r0 = ByteVector.fromMemorySegment(B128, w, bo + QS + 32 * c, LE);
                ByteVector r1 = ByteVector.fromMemorySegment(B128, w, bo + QS + 16 + 32 * c, LE);
                int xo = qo + 64 * c;
                ByteVector lo0 = r0.and((byte) 0x0F).or(fifthBit(qh0, 2 * c));
                ByteVector lo1 = r1.and((byte) 0x0F).or(fifthBit(qh1, 2 * c));
                ByteVector hi0 = r0.lanewise(VectorOperators.LSHR, 4).or(fifthBit(qh0, 2 * c + 1));
                ByteVector hi1 = r1.lanewise(VectorOperators.LSHR, 4).or(fifthBit(qh1, 2 * c + 1));
                sums = sums.add(pairSum(nibbleProducts(lo0, lo1, x.q, xo)).mul(Q4K.scale(w, bo + SCALES, 2 * c)))
                        .add(pairSum(nibbleProducts(hi0, hi1, x.q, xo + 32)).mul(Q4K.scale(w, bo + SCALES, 2 * c + 1)));
            }
            acc = scaled(sums, Half.getF16(w, bo) * x.d[blk], acc);
            int sumMins = 0;
            for (int j = 0; j < 16; j++) sumMins += x.bsums[blk * 16 + j] * Q4K.min(w, bo + SCALES, j / 2);
            minPart -= Half.getF16(w, bo + 2) * x.d[blk] * sumMins;
        }
        return LaneSum.of(acc) + minPart;
    }

    /** Bit `bit` of each qh byte moved to 0x10. */
    private static ByteVector fifthBit(ByteVector qh, int bit) {
        return qh.lanewise(VectorOperators.LSHR, bit).and((byte) 1).lanewise(VectorOperators.LSHL, 4);
    }
}
