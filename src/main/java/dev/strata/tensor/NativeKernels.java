package dev.strata.tensor;

import dev.strata.StrataException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import dev.strata.tensor.quant.Activations;
import dev.strata.tensor.quant.GgmlType;

/**
 * Kernels backed by libstrata (C, one code path per instruction-set level, see {@link NativeLevel})
 * for the Q4_0, Q8_0, Q4_K, Q5_K, Q6_K, F16 and BF16 matmuls that dominate decode and prefill time;
 * everything else (F32 and the other quant types, the vector helpers) is delegated to
 * {@link PanamaKernels}. Activations are prepared by the shared
 * {@link dev.strata.tensor.quant.ActivationQuantizer}, so the numerics are llama.cpp's: exact
 * integer block sums, only the float summation order differs from scalar.
 */
public final class NativeKernels implements KernelProvider {
    private final PanamaKernels java = new PanamaKernels();
    private final MethodHandle matmul;
    private final NativeLevel level;

    /** The level chosen at load (the CPU's best, or the one forced by $STRATA_NATIVE_LEVEL). */
    public NativeKernels() {
        this(NativeLibrary.level());
    }

    /** A given level that this CPU runs (tests run every level the CPU has). */
    public NativeKernels(NativeLevel level) {
        if (!NativeLibrary.isAvailable()) {
            throw new StrataException("native kernels unavailable: " + NativeLibrary.unavailableReason());
        }
        if (!NativeLibrary.cpuRuns(level)) {
            throw new StrataException("native level " + level.label() + " needs a CPU feature this one lacks (its best: "
                    + NativeLibrary.cpuLevel().label() + ")");
        }
        this.matmul = NativeLibrary.matmul();
        this.level = level;
    }

    @Override
    public String name() {
        return "native";
    }

    public NativeLevel level() {
        return level;
    }

    /** Weight types the C library covers; others go to Panama. */
    public static boolean covers(GgmlType type) {
        return switch (type) {
            case Q4_0, Q8_0, Q4_K, Q5_K, Q6_K, F16, BF16 -> true;
            default -> false;
        };
    }

    @Override
    public boolean preparesByRows(GgmlType weightType) {
        return covers(weightType);
    }

    /** The C library reads plain quants; other types take Panama's path and its precomputations. */
    @Override
    public Activations prepareInto(Activations dst, GgmlType weightType, float[] x, int nTokens, int cols) {
        return covers(weightType) ? dev.strata.tensor.quant.ActivationQuantizer.prepareInto(dst, weightType, x, nTokens, cols)
                : java.prepareInto(dst, weightType, x, nTokens, cols);
    }

    @Override
    public void matmul(Tensor w, Activations x, float[] out, int outStride, int rowStart, int rowEnd) {
        if (!covers(w.type())) {
            java.matmul(w, x, out, outStride, rowStart, rowEnd);
            return;
        }
        Kernels.checkMatmul(w, x, out, outStride, rowStart, rowEnd);
        if (rowEnd == rowStart || x.nTokens == 0) return;
        if (w.packed() != null && NativeRepack.supports(w.type(), level)) {
            NativeRepack.matmul(w, level, x, out, outStride, rowStart, rowEnd);
            return;
        }
        long rowBytes = w.rowBytes();
        MemorySegment data = w.data();
        // The C code trusts its bounds; check the ones Java would otherwise have enforced.
        if (data.byteSize() < rowEnd * rowBytes) {
            throw new StrataException(w + " holds " + data.byteSize() + " bytes, fewer than " + rowEnd + " rows need");
        }
        int n = x.nTokens * x.cols;
        MemorySegment q, d, bsums = MemorySegment.NULL;
        if (x.dotType.blockSize == 1) { // F16/BF16: the rounded activations themselves
            if (x.f.length < n) throw new StrataException("activations hold fewer values than " + x.nTokens + " x " + x.cols);
            q = MemorySegment.NULL;
            d = MemorySegment.ofArray(x.f);
        } else {
            int blocks = n / x.dotType.blockSize;
            boolean kQuant = x.dotType == GgmlType.Q8_K;
            if (x.q.length < n || x.d.length < blocks || (kQuant && x.bsums.length < 16 * blocks)) {
                throw new StrataException("activations hold fewer values than " + x.nTokens + " x " + x.cols);
            }
            q = MemorySegment.ofArray(x.q);
            d = MemorySegment.ofArray(x.d);
            if (kQuant) bsums = MemorySegment.ofArray(x.bsums);
        }
        int rc;
        try {
            rc = (int) matmul.invokeExact(w.type().id, level.ordinal(), data, rowBytes, x.cols, q, d, bsums, x.nTokens,
                    MemorySegment.ofArray(out), outStride, rowStart, rowEnd);
        } catch (Throwable e) {
            throw new IllegalStateException("native matmul failed", e);
        }
        if (rc != 0) throw new IllegalStateException("libstrata rejected weight type " + w.type() + " at level " + level.label() + " (" + rc + ")");
    }

    /** Q4_0/Q8_0 matrices get the interleaved copy the level's packed kernels read (see {@link NativeRepack}). */
    @Override
    public Tensor repack(Tensor w, java.lang.foreign.SegmentAllocator memory) {
        return NativeRepack.repack(w, memory, level);
    }

    @Override
    public void dequantizeRow(Tensor w, long row, float[] out, int outOff) {
        java.dequantizeRow(w, row, out, outOff);
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        return java.dot(a, aOff, b, bOff, n);
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        java.axpy(alpha, x, xOff, y, yOff, n);
    }

    @Override
    public float dotF16(float[] a, int aOff, MemorySegment b, long bOff, int n) {
        return java.dotF16(a, aOff, b, bOff, n);
    }

    @Override
    public void axpyF16(float alpha, MemorySegment x, long xOff, float[] y, int yOff, int n) {
        java.axpyF16(alpha, x, xOff, y, yOff, n);
    }

    /** The scores loop of attention in C: bounds checked here, since the C code trusts them. */
    @Override
    public void attentionScores(float[] q, int qOff, MemorySegment keys, long keyOff, long stride, int count, int n, float scale,
                                float[] scores, int sOff) {
        if (count <= 0) return;
        checkAttention(keys, keyOff, stride, count, n, q.length - qOff, scores.length - sOff >= count);
        int rc;
        try {
            rc = (int) NativeLibrary.attentionScores().invokeExact(level.ordinal(), keys, keyOff, stride, count,
                    MemorySegment.ofArray(q), qOff, n, scale, MemorySegment.ofArray(scores), sOff);
        } catch (Throwable e) {
            throw new IllegalStateException("native attention failed", e);
        }
        if (rc != 0) throw new IllegalStateException("libstrata attention at level " + level.label() + " failed (" + rc + ")");
    }

    /** The weighted value sum of attention in C. */
    @Override
    public void attentionValues(float[] w, int wOff, MemorySegment values, long valueOff, long stride, int count, int n,
                                float[] out, int oOff) {
        if (count <= 0) return;
        checkAttention(values, valueOff, stride, count, n, out.length - oOff, w.length - wOff >= count);
        int rc;
        try {
            rc = (int) NativeLibrary.attentionValues().invokeExact(level.ordinal(), values, valueOff, stride, count,
                    MemorySegment.ofArray(w), wOff, n, MemorySegment.ofArray(out), oOff);
        } catch (Throwable e) {
            throw new IllegalStateException("native attention failed", e);
        }
        if (rc != 0) throw new IllegalStateException("libstrata attention at level " + level.label() + " failed (" + rc + ")");
    }

    private static void checkAttention(MemorySegment kv, long off, long stride, int count, int n, int vectorRoom, boolean countRoom) {
        if (off < 0 || stride < 2L * n || off + (count - 1) * stride + 2L * n > kv.byteSize() || n > vectorRoom || !countRoom) {
            throw new StrataException("attention of " + count + " positions x " + n + " out of bounds");
        }
    }

    @Override
    public void rmsnorm(float[] out, int outOff, float[] x, int xOff, float[] w, int n, float eps) {
        java.rmsnorm(out, outOff, x, xOff, w, n, eps);
    }

    @Override
    public void siluMul(float[] gate, int gateOff, float[] up, int upOff, int n) {
        java.siluMul(gate, gateOff, up, upOff, n);
    }

    @Override
    public double expShifted(float[] x, int off, int n, float shift) {
        return java.expShifted(x, off, n, shift);
    }
}
