package dev.strata.tensor;

import static dev.strata.tensor.PanamaQuantDots.B128;
import static dev.strata.tensor.PanamaQuantDots.F256;
import static dev.strata.tensor.PanamaQuantDots.LE;
import static dev.strata.tensor.PanamaQuantDots.activation16;
import static dev.strata.tensor.PanamaQuantDots.pairSum;
import static dev.strata.tensor.PanamaQuantDots.scaled;
import static dev.strata.tensor.PanamaQuantDots.widen;

import dev.strata.tensor.quant.Half;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import dev.strata.tensor.quant.Activations;

/**
 * Vector API row dots for the 32-value legacy types Q4_1, Q5_1 (against Q8_1) and Q5_0 (against
 * Q8_0). Integer block sums are exact; the float accumulation order differs from the scalar codecs.
 */
final class PanamaLegacyQuantDots {
    private PanamaLegacyQuantDots() {}

    /** Lane j of the low half reads qh byte j/8, lane j of the high half qh byte 2 + j/8. */
    private static final VectorShuffle<Byte> QH_LOW =
            VectorShuffle.fromArray(B128, new int[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1}, 0);
    private static final VectorShuffle<Byte> QH_HIGH =
            VectorShuffle.fromArray(B128, new int[] {2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3}, 0);
    private static final ByteVector BIT_OF_LANE =
            ByteVector.fromArray(B128, new byte[] {1, 2, 4, 8, 16, 32, 64, -128, 1, 2, 4, 8, 16, 32, 64, -128}, 0);

    /**
     * Lanes whose element has its 5th bit set in the little-endian uint32 qh that starts lane 0 of
     * qhFirst; half 0 selects elements 0..15, half 1 elements 16..31.
     */
    private static VectorMask<Byte> fifthBit(ByteVector qhFirst, VectorShuffle<Byte> half) {
        return qhFirst.rearrange(half).and(BIT_OF_LANE).compare(VectorOperators.NE, (byte) 0);
    }

    static float dotQ4_1(MemorySegment w, long off, int nb, Activations x, int t) {
        FloatVector acc = FloatVector.zero(F256);
        float minPart = 0;
        int qBase = t * x.cols, dBase = t * nb;
        for (int b = 0; b < nb; b++) {
            long bo = off + 20L * b;
            ByteVector raw = ByteVector.fromMemorySegment(B128, w, bo + 4, LE);
            ShortVector lo = widen(raw.and((byte) 0x0F));
            ShortVector hi = widen(raw.lanewise(VectorOperators.LSHR, 4));
            int xo = qBase + 32 * b;
            ShortVector p = lo.mul(activation16(x.q, xo)).add(hi.mul(activation16(x.q, xo + 16)));
            acc = scaled(pairSum(p), Half.getF16(w, bo) * x.d[dBase + b], acc);
            minPart += Half.getF16(w, bo + 2) * x.s[dBase + b];
        }
        return LaneSum.of(acc) + minPart;
    }

    static float dotQ5_0(MemorySegment w, long off, int nb, Activations x, int t) {
        FloatVector acc = FloatVector.zero(F256);
        int qBase = t * x.cols, dBase = t * nb;
        for (int b = 0; b < nb; b++) {
            long bo = off + 22L * b;
            ByteVector qh = ByteVector.fromMemorySegment(B128, w, bo + 2, LE);
            ByteVector raw = ByteVector.fromMemorySegment(B128, w, bo + 6, LE);
            ShortVector lo = widen(withFifthBit(raw.and((byte) 0x0F), fifthBit(qh, QH_LOW)).sub((byte) 16));
            ShortVector hi = widen(withFifthBit(raw.lanewise(VectorOperators.LSHR, 4), fifthBit(qh, QH_HIGH)).sub((byte) 16));
            int xo = qBase + 32 * b;
            ShortVector p = lo.mul(activation16(x.q, xo)).add(hi.mul(activation16(x.q, xo + 16)));
            acc = scaled(pairSum(p), Half.getF16(w, bo) * x.d[dBase + b], acc);
        }
        return LaneSum.of(acc);
    }

    static float dotQ5_1(MemorySegment w, long off, int nb, Activations x, int t) {
        FloatVector acc = FloatVector.zero(F256);
        float minPart = 0;
        int qBase = t * x.cols, dBase = t * nb;
        for (int b = 0; b < nb; b++) {
            long bo = off + 24L * b;
            ByteVector qh = ByteVector.fromMemorySegment(B128, w, bo + 4, LE);
            ByteVector raw = ByteVector.fromMemorySegment(B128, w, bo + 8, LE);
            ShortVector lo = widen(withFifthBit(raw.and((byte) 0x0F), fifthBit(qh, QH_LOW)));
            ShortVector hi = widen(withFifthBit(raw.lanewise(VectorOperators.LSHR, 4), fifthBit(qh, QH_HIGH)));
            int xo = qBase + 32 * b;
            ShortVector p = lo.mul(activation16(x.q, xo)).add(hi.mul(activation16(x.q, xo + 16)));
            acc = scaled(pairSum(p), Half.getF16(w, bo) * x.d[dBase + b], acc);
            minPart += Half.getF16(w, bo + 2) * x.s[dBase + b];
        }
        return LaneSum.of(acc) + minPart;
    }

    private static ByteVector withFifthBit(ByteVector nibbles, VectorMask<Byte> set) {
        return nibbles.lanewise(VectorOperators.OR, (byte) 0x10, set);
    }
}
