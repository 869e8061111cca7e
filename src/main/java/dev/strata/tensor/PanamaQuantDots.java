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
import dev.strata.tensor.quant.Activations;

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

    /** Lane i of the int view gets p[2i] + p[2i+1]: the adjacent int16 products summed by shifts. */
    private static IntVector pairSums(ShortVector p) {
        IntVector q = p.reinterpretAsInts();
        return q.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(q.lanewise(VectorOperators.ASHR, 16));
    }

    /** Activation quants of token t widened to int16 once per matmul, so row dots load them ready. */
    static short[] widenActivations(Activations x) {
        short[] xs = new short[x.nTokens * x.cols];
        for (int i = 0; i < xs.length; i += 16) widen(ByteVector.fromArray(B128, x.q, i)).intoArray(xs, i);
        return xs;
    }

    /*
     * The Q8_0/Q4_0 row dots are written out in one method on purpose: with vector-typed helper
     * calls C2 stopped inlining once the helper had its own large compiled body, and the FMA then
     * ran in the Vector API's Java fallback (seen as FloatVector.lanewiseTemplate in a JFR profile).
     * Adjacent int16 products are summed into int32 lanes by shifts on the int view (lane i gets
     * p[2i] + p[2i+1]), cheaper on AVX2 than widening both halves (Q4_0 decode +45 %).
     */
    static float dotQ8_0(MemorySegment w, long off, int nb, short[] xs, int xo, float[] xd, int db) {
        FloatVector acc0 = FloatVector.zero(F256), acc1 = FloatVector.zero(F256);
        int b = 0;
        for (; b + 1 < nb; b += 2) {
            long bo = off + 34L * b;
            int xb = xo + 32 * b;
            ShortVector p0 = ((ShortVector) ByteVector.fromMemorySegment(B128, w, bo + 2, LE).convertShape(VectorOperators.B2S, S256, 0))
                    .mul(ShortVector.fromArray(S256, xs, xb))
                    .add(((ShortVector) ByteVector.fromMemorySegment(B128, w, bo + 18, LE).convertShape(VectorOperators.B2S, S256, 0))
                            .mul(ShortVector.fromArray(S256, xs, xb + 16)));
            ShortVector p1 = ((ShortVector) ByteVector.fromMemorySegment(B128, w, bo + 36, LE).convertShape(VectorOperators.B2S, S256, 0))
                    .mul(ShortVector.fromArray(S256, xs, xb + 32))
                    .add(((ShortVector) ByteVector.fromMemorySegment(B128, w, bo + 52, LE).convertShape(VectorOperators.B2S, S256, 0))
                            .mul(ShortVector.fromArray(S256, xs, xb + 48)));
            IntVector s0 = pairSums(p0);
            IntVector s1 = pairSums(p1);
            float d0 = Float.float16ToFloat(w.get(Half.LE_SHORT, bo)) * xd[db + b];
            float d1 = Float.float16ToFloat(w.get(Half.LE_SHORT, bo + 34)) * xd[db + b + 1];
            acc0 = ((FloatVector) s0.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F256, d0), acc0);
            acc1 = ((FloatVector) s1.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F256, d1), acc1);
        }
        if (b < nb) {
            long bo = off + 34L * b;
            int xb = xo + 32 * b;
            ShortVector p0 = ((ShortVector) ByteVector.fromMemorySegment(B128, w, bo + 2, LE).convertShape(VectorOperators.B2S, S256, 0))
                    .mul(ShortVector.fromArray(S256, xs, xb))
                    .add(((ShortVector) ByteVector.fromMemorySegment(B128, w, bo + 18, LE).convertShape(VectorOperators.B2S, S256, 0))
                            .mul(ShortVector.fromArray(S256, xs, xb + 16)));
            IntVector s0 = pairSums(p0);
            float d0 = Float.float16ToFloat(w.get(Half.LE_SHORT, bo)) * xd[db + b];
            acc0 = ((FloatVector) s0.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F256, d0), acc0);
        }
        return LaneSum.of(acc0.add(acc1));
    }

    static float dotQ4_0(MemorySegment w, long off, int nb, short[] xs, int xo, float[] xd, int db) {
        FloatVector acc0 = FloatVector.zero(F256), acc1 = FloatVector.zero(F256);
        ByteVector levels = Q4_0_LEVELS;
        int b = 0;
        for (; b + 1 < nb; b += 2) {
            long bo = off + 18L * b;
            int xb = xo + 32 * b;
            ByteVector r0 = ByteVector.fromMemorySegment(B128, w, bo + 2, LE);
            ByteVector r1 = ByteVector.fromMemorySegment(B128, w, bo + 20, LE);
            ShortVector p0 = ((ShortVector) r0.and((byte) 0x0F).selectFrom(levels).convertShape(VectorOperators.B2S, S256, 0))
                    .mul(ShortVector.fromArray(S256, xs, xb))
                    .add(((ShortVector) r0.lanewise(VectorOperators.LSHR, 4).selectFrom(levels).convertShape(VectorOperators.B2S, S256, 0))
                            .mul(ShortVector.fromArray(S256, xs, xb + 16)));
            ShortVector p1 = ((ShortVector) r1.and((byte) 0x0F).selectFrom(levels).convertShape(VectorOperators.B2S, S256, 0))
                    .mul(ShortVector.fromArray(S256, xs, xb + 32))
                    .add(((ShortVector) r1.lanewise(VectorOperators.LSHR, 4).selectFrom(levels).convertShape(VectorOperators.B2S, S256, 0))
                            .mul(ShortVector.fromArray(S256, xs, xb + 48)));
            IntVector s0 = pairSums(p0);
            IntVector s1 = pairSums(p1);
            float d0 = Float.float16ToFloat(w.get(Half.LE_SHORT, bo)) * xd[db + b];
            float d1 = Float.float16ToFloat(w.get(Half.LE_SHORT, bo + 18)) * xd[db + b + 1];
            acc0 = ((FloatVector) s0.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F256, d0), acc0);
            acc1 = ((FloatVector) s1.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F256, d1), acc1);
        }
        if (b < nb) {
            long bo = off + 18L * b;
            int xb = xo + 32 * b;
            ByteVector r0 = ByteVector.fromMemorySegment(B128, w, bo + 2, LE);
            ShortVector p0 = ((ShortVector) r0.and((byte) 0x0F).selectFrom(levels).convertShape(VectorOperators.B2S, S256, 0))
                    .mul(ShortVector.fromArray(S256, xs, xb))
                    .add(((ShortVector) r0.lanewise(VectorOperators.LSHR, 4).selectFrom(levels).convertShape(VectorOperators.B2S, S256, 0))
                            .mul(ShortVector.fromArray(S256, xs, xb + 16)));
            IntVector s0 = pairSums(p0);
            float d0 = Float.float16ToFloat(w.get(Half.LE_SHORT, bo)) * xd[db + b];
            acc0 = ((FloatVector) s0.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F256, d0), acc0);
        }
        return LaneSum.of(acc0.add(acc1));
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
