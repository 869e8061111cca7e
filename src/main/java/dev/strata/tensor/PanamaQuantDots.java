package dev.strata.tensor;

import dev.strata.tensor.quant.Half;
import dev.strata.tensor.quant.Q4K;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API row dots for the block-quantized types (AVX2 shapes: 16 int8 -> 16 int16 -> 2x8
 * int32). Integer block sums are exact; only the float accumulation order differs from scalar.
 */
final class PanamaQuantDots {
    private PanamaQuantDots() {}

    static final VectorSpecies<Byte> B128 = ByteVector.SPECIES_128;
    static final VectorSpecies<Short> S256 = ShortVector.SPECIES_256;
    static final VectorSpecies<Integer> I256 = IntVector.SPECIES_256;
    static final VectorSpecies<Float> F256 = FloatVector.SPECIES_256;
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ByteVector Q4_0_LEVELS =
            ByteVector.fromArray(B128, new byte[] {-8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7}, 0);

    static ShortVector widen(ByteVector v) {
        return (ShortVector) v.convertShape(VectorOperators.B2S, S256, 0);
    }

    static ShortVector activation16(byte[] q, int off) {
        return widen(ByteVector.fromArray(B128, q, off));
    }

    /** Sums the 16 int16 lanes pairwise into 8 int32 lanes. */
    static IntVector pairSum(ShortVector p) {
        IntVector lo = (IntVector) p.convertShape(VectorOperators.S2I, I256, 0);
        IntVector hi = (IntVector) p.convertShape(VectorOperators.S2I, I256, 1);
        return lo.add(hi);
    }

    static FloatVector scaled(IntVector sums, float scale, FloatVector acc) {
        FloatVector f = (FloatVector) sums.convert(VectorOperators.I2F, 0);
        return f.fma(FloatVector.broadcast(F256, scale), acc);
    }

    static float dotQ8_0(MemorySegment w, long off, int nb, Activations x, int t) {
        FloatVector acc0 = FloatVector.zero(F256), acc1 = FloatVector.zero(F256);
        int qBase = t * x.cols, dBase = t * nb;
        int b = 0;
        for (; b + 1 < nb; b += 2) {
            acc0 = blockQ8_0(w, off + 34L * b, x.q, qBase + 32 * b, x.d[dBase + b], acc0);
            acc1 = blockQ8_0(w, off + 34L * (b + 1), x.q, qBase + 32 * (b + 1), x.d[dBase + b + 1], acc1);
        }
        if (b < nb) acc0 = blockQ8_0(w, off + 34L * b, x.q, qBase + 32 * b, x.d[dBase + b], acc0);
        return LaneSum.of(acc0.add(acc1));
    }

    private static FloatVector blockQ8_0(MemorySegment w, long bo, byte[] xq, int xo, float dx, FloatVector acc) {
        ShortVector w0 = widen(ByteVector.fromMemorySegment(B128, w, bo + 2, LE));
        ShortVector w1 = widen(ByteVector.fromMemorySegment(B128, w, bo + 18, LE));
        ShortVector p = w0.mul(activation16(xq, xo)).add(w1.mul(activation16(xq, xo + 16)));
        return scaled(pairSum(p), Half.getF16(w, bo) * dx, acc);
    }

    static float dotQ4_0(MemorySegment w, long off, int nb, Activations x, int t) {
        FloatVector acc0 = FloatVector.zero(F256), acc1 = FloatVector.zero(F256);
        int qBase = t * x.cols, dBase = t * nb;
        int b = 0;
        for (; b + 1 < nb; b += 2) {
            acc0 = blockQ4_0(w, off + 18L * b, x.q, qBase + 32 * b, x.d[dBase + b], acc0);
            acc1 = blockQ4_0(w, off + 18L * (b + 1), x.q, qBase + 32 * (b + 1), x.d[dBase + b + 1], acc1);
        }
        if (b < nb) acc0 = blockQ4_0(w, off + 18L * b, x.q, qBase + 32 * b, x.d[dBase + b], acc0);
        return LaneSum.of(acc0.add(acc1));
    }

    private static FloatVector blockQ4_0(MemorySegment w, long bo, byte[] xq, int xo, float dx, FloatVector acc) {
        ByteVector raw = ByteVector.fromMemorySegment(B128, w, bo + 2, LE);
        ShortVector lo = widen(raw.and((byte) 0x0F).selectFrom(Q4_0_LEVELS));
        ShortVector hi = widen(raw.lanewise(VectorOperators.LSHR, 4).selectFrom(Q4_0_LEVELS));
        ShortVector p = lo.mul(activation16(xq, xo)).add(hi.mul(activation16(xq, xo + 16)));
        return scaled(pairSum(p), Half.getF16(w, bo) * dx, acc);
    }

    /** Q4_K: integer sums per 32-value sub-block times its 6-bit scale; mins through bsums. */
    static float dotQ4K(MemorySegment w, long off, int nb, Activations x, int t) {
        FloatVector acc = FloatVector.zero(F256);
        float minPart = 0;
        for (int i = 0; i < nb; i++) {
            long bo = off + 144L * i;
            int blk = t * nb + i;
            int qo = blk * 256;
            IntVector sums = IntVector.zero(I256);
            for (int c = 0; c < 4; c++) {
                ByteVector r0 = ByteVector.fromMemorySegment(B128, w, bo + 16 + 32 * c, LE);
                ByteVector r1 = ByteVector.fromMemorySegment(B128, w, bo + 32 + 32 * c, LE);
                int xo = qo + 64 * c;
                ShortVector pLo = nibbleProducts(r0.and((byte) 0x0F), r1.and((byte) 0x0F), x.q, xo);
                ShortVector pHi = nibbleProducts(r0.lanewise(VectorOperators.LSHR, 4), r1.lanewise(VectorOperators.LSHR, 4), x.q, xo + 32);
                sums = sums.add(pairSum(pLo).mul(Q4K.scale(w, bo + 4, 2 * c)))
                        .add(pairSum(pHi).mul(Q4K.scale(w, bo + 4, 2 * c + 1)));
            }
            acc = scaled(sums, Half.getF16(w, bo) * x.d[blk], acc);
            int sumMins = 0;
            for (int j = 0; j < 16; j++) sumMins += x.bsums[blk * 16 + j] * Q4K.min(w, bo + 4, j / 2);
            minPart -= Half.getF16(w, bo + 2) * x.d[blk] * sumMins;
        }
        return LaneSum.of(acc) + minPart;
    }

    /** 32 values: a covers the first 16, b the next 16. Each int16 lane holds two products (|sum| <= 2*31*128). */
    static ShortVector nibbleProducts(ByteVector a, ByteVector b, byte[] xq, int xo) {
        return widen(a).mul(activation16(xq, xo)).add(widen(b).mul(activation16(xq, xo + 16)));
    }

    /** Q6_K: each 16-byte slice of ql/qh yields 16 values sharing one int8 scale. */
    static float dotQ6K(MemorySegment w, long off, int nb, Activations x, int t) {
        FloatVector acc = FloatVector.zero(F256);
        for (int i = 0; i < nb; i++) {
            long bo = off + 210L * i;
            int blk = t * nb + i;
            int qo = blk * 256;
            IntVector sums = IntVector.zero(I256);
            for (int n = 0; n < 2; n++) {
                for (int h = 0; h < 2; h++) {
                    long lo = bo + 64 * n + 16 * h;
                    ByteVector ql0 = ByteVector.fromMemorySegment(B128, w, lo, LE);
                    ByteVector ql1 = ByteVector.fromMemorySegment(B128, w, lo + 32, LE);
                    ByteVector qh = ByteVector.fromMemorySegment(B128, w, bo + 128 + 32 * n + 16 * h, LE);
                    int xo = qo + 128 * n + 16 * h;
                    long sc = bo + 192 + 8 * n + h;
                    sums = sums.add(q6Slice(ql0.and((byte) 0x0F), qh, 0, x.q, xo).mul(Half.getByte(w, sc)))
                            .add(q6Slice(ql1.and((byte) 0x0F), qh, 2, x.q, xo + 32).mul(Half.getByte(w, sc + 2)))
                            .add(q6Slice(ql0.lanewise(VectorOperators.LSHR, 4), qh, 4, x.q, xo + 64).mul(Half.getByte(w, sc + 4)))
                            .add(q6Slice(ql1.lanewise(VectorOperators.LSHR, 4), qh, 6, x.q, xo + 96).mul(Half.getByte(w, sc + 6)));
                }
            }
            acc = scaled(sums, Half.getF16(w, bo + 208) * x.d[blk], acc);
        }
        return LaneSum.of(acc);
    }

    private static IntVector q6Slice(ByteVector low4, ByteVector qh, int shift, byte[] xq, int xo) {
        ByteVector high2 = qh.lanewise(VectorOperators.LSHR, shift).and((byte) 3).lanewise(VectorOperators.LSHL, 4);
        ByteVector q = low4.or(high2).sub((byte) 32);
        ShortVector p = widen(q).mul(activation16(xq, xo));
        return pairSum(p);
    }
}
