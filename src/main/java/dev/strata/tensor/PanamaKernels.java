package dev.strata.tensor;

import dev.strata.tensor.quant.ActivationQuantizer;
import dev.strata.tensor.quant.Quants;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import dev.strata.tensor.quant.Activations;
import dev.strata.tensor.quant.GgmlType;

/**
 * Vector API kernels. Every matmul type (F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K,
 * Q6_K) is vectorized; any other type falls back to the scalar reference dot. Results agree with
 * {@link ScalarKernels} up to float summation order.
 */
public final class PanamaKernels implements KernelProvider {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F256 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Float> F128 = FloatVector.SPECIES_128;
    private static final VectorSpecies<Short> S128 = ShortVector.SPECIES_128;
    private static final VectorSpecies<Integer> I256 = IntVector.SPECIES_256;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    @Override
    public String name() {
        return "panama";
    }

    /** Also widens Q8_0 quants and, for batches the tiled matmul takes, the q*d values: once, not per thread. */
    @Override
    public Activations prepareInto(Activations dst, GgmlType weightType, float[] x, int nTokens, int cols) {
        ActivationQuantizer.prepareInto(dst, weightType, x, nTokens, cols);
        if (TiledMatmul.applies(dst)) TiledMatmul.storeActivationValues(dst);
        else if (weightType == GgmlType.Q8_0 || weightType == GgmlType.Q4_0) PanamaQuantDots.storeWidened(dst);
        return dst;
    }

    @Override
    public void matmul(Tensor w, Activations x, float[] out, int outStride, int rowStart, int rowEnd) {
        Kernels.checkMatmul(w, x, out, outStride, rowStart, rowEnd);
        if (TiledMatmul.applies(x) && rowEnd > rowStart) {
            TiledMatmul.matmul(w, x, out, outStride, rowStart, rowEnd);
            return;
        }
        GgmlType type = w.type();
        MemorySegment data = w.data();
        int nb = x.cols / type.blockSize;
        short[] xs = type == GgmlType.Q8_0 || type == GgmlType.Q4_0 ? (x.wide != null ? x.wide : PanamaQuantDots.widenActivations(x)) : null;
        for (int r = rowStart; r < rowEnd; r++) {
            long off = w.rowOffset(r);
            for (int t = 0; t < x.nTokens; t++) {
                out[t * outStride + r] = switch (type) {
                    case F32 -> dotF32(data, off, x.f, t * x.cols, x.cols);
                    case F16 -> dotF16(data, off, x.f, t * x.cols, x.cols);
                    case Q8_0 -> PanamaQuantDots.dotQ8_0(data, off, nb, xs, t * x.cols, x.d, t * nb);
                    case Q4_0 -> PanamaQuantDots.dotQ4_0(data, off, nb, xs, t * x.cols, x.d, t * nb);
                    case BF16 -> PanamaFloatDots.dotBF16(data, off, x.f, t * x.cols, x.cols);
                    case Q4_1 -> PanamaLegacyQuantDots.dotQ4_1(data, off, nb, x, t);
                    case Q5_0 -> PanamaLegacyQuantDots.dotQ5_0(data, off, nb, x, t);
                    case Q5_1 -> PanamaLegacyQuantDots.dotQ5_1(data, off, nb, x, t);
                    case Q4_K -> PanamaQuantDots.dotQ4K(data, off, nb, x, t);
                    case Q5_K -> PanamaKQuantDots.dotQ5K(data, off, nb, x, t);
                    case Q6_K -> PanamaQuantDots.dotQ6K(data, off, nb, x, t);
                    default -> ScalarKernels.rowDot(type, data, off, x, t);
                };
            }
        }
    }

    static float dotF32(MemorySegment w, long off, float[] x, int xo, int n) {
        FloatVector acc0 = FloatVector.zero(F256), acc1 = FloatVector.zero(F256);
        int i = 0;
        for (; i + 16 <= n; i += 16) {
            acc0 = FloatVector.fromMemorySegment(F256, w, off + 4L * i, LE).fma(FloatVector.fromArray(F256, x, xo + i), acc0);
            acc1 = FloatVector.fromMemorySegment(F256, w, off + 4L * (i + 8), LE).fma(FloatVector.fromArray(F256, x, xo + i + 8), acc1);
        }
        float sum = LaneSum.of(acc0.add(acc1));
        for (; i < n; i++) sum += w.get(dev.strata.tensor.quant.Half.LE_FLOAT, off + 4L * i) * x[xo + i];
        return sum;
    }

    static float dotF16(MemorySegment w, long off, float[] x, int xo, int n) {
        FloatVector acc0 = FloatVector.zero(F256), acc1 = FloatVector.zero(F256);
        int i = 0;
        for (; i + 16 <= n; i += 16) {
            acc0 = halfToFloat(ShortVector.fromMemorySegment(S128, w, off + 2L * i, LE)).fma(FloatVector.fromArray(F256, x, xo + i), acc0);
            acc1 = halfToFloat(ShortVector.fromMemorySegment(S128, w, off + 2L * (i + 8), LE)).fma(FloatVector.fromArray(F256, x, xo + i + 8), acc1);
        }
        float sum = LaneSum.of(acc0.add(acc1));
        for (; i < n; i++) sum += dev.strata.tensor.quant.Half.getF16(w, off + 2L * i) * x[xo + i];
        return sum;
    }

    /**
     * Exact fp16 -> fp32 for 8 lanes: the magnitude bits shifted into fp32 position and scaled by
     * 2^112 handle normals and subnormals alike; Inf/NaN get an all-ones exponent; then the sign.
     */
    static FloatVector halfToFloat(ShortVector h) {
        IntVector bits = (IntVector) h.convertShape(VectorOperators.S2I, I256, 0);
        IntVector mag = bits.and(0x7fff);
        IntVector shifted = mag.lanewise(VectorOperators.LSHL, 13);
        IntVector scaled = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        VectorMask<Integer> special = mag.compare(VectorOperators.GE, 0x7c00);
        IntVector value = scaled.blend(shifted.or(0x7f800000), special);
        return value.or(bits.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
    }

    @Override
    public void dequantizeRow(Tensor w, long row, float[] out, int outOff) {
        Quants.dequantize(w.type(), w.data(), w.rowOffset(row), out, outOff, w.cols());
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
        int step = F.length();
        int i = 0;
        for (; i + 2 * step <= n; i += 2 * step) {
            acc0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc0);
            acc1 = FloatVector.fromArray(F, a, aOff + i + step).fma(FloatVector.fromArray(F, b, bOff + i + step), acc1);
        }
        float sum = LaneSum.of(acc0.add(acc1));
        for (; i < n; i++) sum += a[aOff + i] * b[bOff + i];
        return sum;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector va = FloatVector.broadcast(F, alpha);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).fma(va, FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    /** 8 F16 lanes converted exactly per step, one FMA accumulator, lanes summed in order. */
    @Override
    public float dotF16(float[] a, int aOff, MemorySegment b, long bOff, int n) {
        FloatVector acc = FloatVector.zero(F256);
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            acc = halfToFloat(ShortVector.fromMemorySegment(S128, b, bOff + 2L * i, LE)).fma(FloatVector.fromArray(F256, a, aOff + i), acc);
        }
        float sum = LaneSum.of(acc);
        for (; i < n; i++) sum += a[aOff + i] * dev.strata.tensor.quant.Half.getF16(b, bOff + 2L * i);
        return sum;
    }

    @Override
    public void axpyF16(float alpha, MemorySegment x, long xOff, float[] y, int yOff, int n) {
        FloatVector va = FloatVector.broadcast(F256, alpha);
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            halfToFloat(ShortVector.fromMemorySegment(S128, x, xOff + 2L * i, LE)).fma(va, FloatVector.fromArray(F256, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] += alpha * dev.strata.tensor.quant.Half.getF16(x, xOff + 2L * i);
    }

    @Override
    public void rmsnorm(float[] out, int outOff, float[] x, int xOff, float[] w, int n, float eps) {
        VectorSpecies<Double> d = DoubleVector.SPECIES_256;
        DoubleVector acc0 = DoubleVector.zero(d), acc1 = DoubleVector.zero(d);
        int i = 0;
        // two 4-lane halves widened separately: C2 compiles this cast, not the part-1 half of an 8-lane one
        for (; i + 8 <= n; i += 8) {
            FloatVector v0 = FloatVector.fromArray(F128, x, xOff + i), v1 = FloatVector.fromArray(F128, x, xOff + i + 4);
            acc0 = acc0.add((DoubleVector) v0.mul(v0).convertShape(VectorOperators.F2D, d, 0));
            acc1 = acc1.add((DoubleVector) v1.mul(v1).convertShape(VectorOperators.F2D, d, 0));
        }
        double sum = LaneSum.of(acc0.add(acc1));
        for (; i < n; i++) sum += x[xOff + i] * x[xOff + i];
        float scale = ScalarKernels.rmsScale(sum, n, eps);
        FloatVector vs = FloatVector.broadcast(F, scale);
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += F.length()) {
            FloatVector.fromArray(F, x, xOff + j).mul(vs).mul(FloatVector.fromArray(F, w, j)).intoArray(out, outOff + j);
        }
        for (; j < n; j++) out[outOff + j] = x[xOff + j] * scale * w[j];
    }

    /**
     * With {@link VectorExp}, not the Vector API's EXP op: that one is an SVML routine once C2
     * compiles it and Math.exp before, and their last bits differ, so results would change as the
     * JIT warms up. The tail uses the same arithmetic, so a value's bits never depend on where a
     * call starts (the pool splits prefill's hidden rows anywhere).
     */
    @Override
    public void siluMul(float[] gate, int gateOff, float[] up, int upOff, int n) {
        VectorExp.siluMul(gate, gateOff, up, upOff, n);
    }

    /** {@link VectorExp}, the sum in double over four partial sums (a fixed order for a given n, so batching keeps the bits). */
    @Override
    public double expShifted(float[] x, int off, int n, float shift) {
        VectorExp.expShifted(x, off, n, shift);
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            s0 += x[off + j];
            s1 += x[off + j + 1];
            s2 += x[off + j + 2];
            s3 += x[off + j + 3];
        }
        for (; j < n; j++) s0 += x[off + j];
        return (s0 + s1) + (s2 + s3);
    }
}
