package dev.strata.tensor;

import dev.strata.StrataException;
import dev.strata.tensor.quant.ActivationQuantizer;
import dev.strata.tensor.quant.Half;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.strata.tensor.quant.Activations;
import dev.strata.tensor.quant.GgmlType;

/** Picks a {@link KernelProvider} by name and offers the small numeric helpers others need. */
public final class Kernels {
    private Kernels() {}

    public static final String NAMES = "scalar, panama, native, auto";

    /**
     * Rows from which a provider may switch a matmul to a tiled kernel with another summation
     * order; below it every row is a per-row dot. See {@link Activations#rowDots}.
     */
    public static final int TILED_MIN_ROWS = TiledMatmul.MIN_TOKENS;

    private static final AtomicBoolean AUTO_LOGGED = new AtomicBoolean();

    /**
     * "scalar" | "panama" | "native" | "auto": native when libstrata loads at the AVX2 level or
     * higher, otherwise panama (the choice is logged once per process to stderr).
     */
    public static KernelProvider select(String name) {
        return switch (name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "scalar" -> new ScalarKernels();
            case "panama" -> new PanamaKernels();
            case "native" -> new NativeKernels();
            case "auto" -> auto();
            default -> throw new StrataException("unknown kernels '" + name + "' (valid: " + NAMES + ")");
        };
    }

    /**
     * Native at the AVX2 level or higher (portable C is slower than the Vector API), or at any level
     * that $STRATA_NATIVE_LEVEL forced; otherwise panama.
     */
    private static KernelProvider auto() {
        boolean nativeOk = NativeLibrary.hasAvx2() || (NativeLibrary.isAvailable() && NativeLibrary.levelForced());
        if (AUTO_LOGGED.compareAndSet(false, true)) {
            String why = nativeOk ? NativeLibrary.describe()
                    : NativeLibrary.isAvailable() ? "CPU lacks AVX2/FMA" : NativeLibrary.unavailableReason();
            System.err.println("strata: kernels auto -> " + (nativeOk ? "native" : "panama") + " (" + why + ")");
        }
        return nativeOk ? new NativeKernels() : new PanamaKernels();
    }

    /** f rounded to the nearest FP16 value (round-to-nearest-even, as ggml's fp32->fp16). */
    public static float fp16Round(float f) {
        return Half.roundF16(f);
    }

    /** f rounded to the nearest BF16 value (ggml's fp32->bf16). */
    public static float bf16Round(float f) {
        return Half.roundBf16(f);
    }

    /** The activation type llama.cpp dots weights of this type against. */
    public static GgmlType vecDotType(GgmlType weightType) {
        return ActivationQuantizer.vecDotType(weightType);
    }

    /** Argument checks shared by the providers' matmul. */
    static void checkMatmul(Tensor w, Activations x, float[] out, int outStride, int rowStart, int rowEnd) {
        if (w.cols() != x.cols) {
            throw new StrataException("matmul shape mismatch: " + w + " has " + w.cols() + " columns, activations have " + x.cols);
        }
        GgmlType expected = ActivationQuantizer.vecDotType(w.type());
        if (x.dotType != expected) {
            throw new StrataException("activations prepared as " + x.dotType + " but " + w + " needs " + expected);
        }
        if (rowStart < 0 || rowEnd > w.rows() || rowStart > rowEnd) {
            throw new StrataException("matmul rows [" + rowStart + ", " + rowEnd + ") out of range for " + w);
        }
        if (x.nTokens > 0 && rowEnd > rowStart && (long) (x.nTokens - 1) * outStride + rowEnd > out.length) {
            throw new StrataException("matmul output buffer of " + out.length + " floats is too small for " + x.nTokens + " tokens at stride " + outStride);
        }
    }
}
