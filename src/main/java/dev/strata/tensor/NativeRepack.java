package dev.strata.tensor;

import dev.strata.StrataException;
import dev.strata.tensor.quant.Activations;
import dev.strata.tensor.quant.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.Locale;

/**
 * Q4_0 and Q8_0 weights copied at load into libstrata's interleaved layout (16 rows per group,
 * one int32 lane per row, see src/main/c/strata_repack.c), which the avx2, avxvnni and avx512vnni
 * kernels read as one sequential stream per 16 rows, scaling 16 rows with one multiply per block.
 * The copy has the original's size and lives in the weight store's memory (huge pages where the
 * system allows, see {@link LargePages}); the mapped file is not
 * touched and every other reader keeps using it. {@code STRATA_REPACK=0} (or
 * {@code -Dstrata.repack=0}) turns it off.
 */
public final class NativeRepack {
    private NativeRepack() {}

    public static final String ENV = "STRATA_REPACK";
    /** Rows per interleaved group (PACK_ROWS in strata_internal.h). */
    static final int GROUP_ROWS = 16;

    /** False when $STRATA_REPACK or -Dstrata.repack is 0, off or false. */
    public static boolean enabled() {
        return Libc.switchedOn("strata.repack", ENV);
    }

    /**
     * True when the level has a kernel over the repacked layout for this type. Asked once per matmul call, so
     * the answers are read from the library once: reading a kernel's C name each time allocated a String per call.
     */
    public static boolean supports(GgmlType type, NativeLevel level) {
        if (type == GgmlType.Q4_0) return Supported.Q4_0[level.ordinal()];
        return type == GgmlType.Q8_0 && Supported.Q8_0[level.ordinal()];
    }

    private static final class Supported {
        static final boolean[] Q4_0 = of(GgmlType.Q4_0), Q8_0 = of(GgmlType.Q8_0);

        private static boolean[] of(GgmlType type) {
            boolean[] s = new boolean[NativeLevel.values().length];
            for (NativeLevel l : NativeLevel.values()) s[l.ordinal()] = !NativeLibrary.packedKernelName(type, l).isEmpty();
            return s;
        }
    }

    /** "repack q4_0 q8_0 (16-row interleaved)", "repack off ($STRATA_REPACK=0)" or "no repack at <level>". */
    static String describe(NativeLevel level) {
        StringBuilder types = new StringBuilder();
        for (GgmlType t : new GgmlType[] {GgmlType.Q4_0, GgmlType.Q8_0}) if (supports(t, level)) types.append(' ').append(t.name().toLowerCase(Locale.ROOT));
        if (types.isEmpty()) return "no repack at " + level.label();
        return enabled() ? "repack" + types + " (16-row interleaved, " + LargePages.describe() + ")" : "repack off (" + ENV + "=0)";
    }

    /** Bytes of the interleaved copy: whole 16-row groups, so the last group is padded with zero rows. */
    static long packedBytes(Tensor w) {
        return (w.rows() + GROUP_ROWS - 1) / GROUP_ROWS * GROUP_ROWS * w.rowBytes();
    }

    /** w with its interleaved copy attached, or w itself when repacking is off or does not apply. */
    static Tensor repack(Tensor w, SegmentAllocator memory, NativeLevel level) {
        if (!enabled() || w.shape().length != 2 || w.cols() % 32 != 0 || w.packed() != null || !supports(w.type(), level)) return w;
        if (w.data().byteSize() < w.rows() * w.rowBytes()) throw new StrataException(w + " holds fewer bytes than its shape needs");
        MemorySegment dst = memory.allocate(packedBytes(w), 64);
        int rc;
        try {
            rc = (int) NativeLibrary.repack().invokeExact(w.type().id, w.data(), w.rows(), w.cols(), dst);
        } catch (Throwable e) {
            throw new IllegalStateException("native repack failed", e);
        }
        if (rc != 0) throw new IllegalStateException("libstrata could not repack " + w + " (" + rc + ")");
        return w.withPacked(dst);
    }

    /** The matmul of {@link KernelProvider#matmul} over w.packed(); activations are Q8_0 blocks. */
    static void matmul(Tensor w, NativeLevel level, Activations x, float[] out, int outStride, int rowStart, int rowEnd) {
        if (w.packed().byteSize() < packedBytes(w)) throw new StrataException(w + ": repacked copy is shorter than its rows need");
        if (x.dotType != GgmlType.Q8_0 || x.q.length < x.nTokens * x.cols || x.d.length < x.nTokens * x.cols / 32) {
            throw new StrataException("activations for repacked " + w + " must hold " + x.nTokens + " x " + x.cols + " Q8_0 values");
        }
        int blocks = x.nTokens * x.cols / 32;
        // the quantizer's block sums where it made them (the pool splits one matmul into several calls)
        MemorySegment sums = x.bsums != null && x.bsums.length >= blocks ? MemorySegment.ofArray(x.bsums) : MemorySegment.NULL;
        int rc;
        try {
            rc = (int) NativeLibrary.matmulPacked().invokeExact(w.type().id, level.ordinal(), w.packed(), w.rowBytes(), x.cols,
                    MemorySegment.ofArray(x.q), MemorySegment.ofArray(x.d), sums, x.nTokens, MemorySegment.ofArray(out), outStride, rowStart, rowEnd);
        } catch (Throwable e) {
            throw new IllegalStateException("native packed matmul failed", e);
        }
        if (rc != 0) throw new IllegalStateException("libstrata rejected repacked " + w.type() + " at level " + level.label() + " (" + rc + ")");
    }
}
