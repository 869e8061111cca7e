package dev.strata.train.ops;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-threaded fp32 GEMM, C (+)= A·B, GotoBLAS style: A and B are packed into contiguous
 * panels so that a 4×16 register-tiled micro-kernel (8 FMA accumulators, two 8-lane vectors per
 * row; C2 spills with 12) streams both from L1. A and B are addressed with arbitrary row and
 * column strides, so the three products of training (see {@link Linear}) need no transposed copies:
 * the packing absorbs the layout.
 * Instances hold the packing buffers; use one per thread.
 */
public final class Gemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final VectorSpecies<Float> S4 = FloatVector.SPECIES_128;
    static final int MR = 4;
    static final int NR = 16;
    static final int KC = 256;
    private static final int MC = 96;
    private static final int NC = 1024;

    private final float[] packedA = new float[MC * KC];
    private final float[] packedB = new float[KC * NC];
    private static final float[] ZERO_TILE = new float[MR * NR];

    private final float[] edgeTile = new float[MR * NR];

    /**
     * C[m][n] = (accumulate ? C[m][n] : 0) + Σ_k A(m,k) · B(k,n), where A(m,k) is
     * {@code a[aOff + m*aRowStride + k*aColStride]}, B(k,n) is {@code b[bOff + k*bRowStride + n*bColStride]}
     * and C is row-major with row length ldc.
     */
    public void multiply(int m, int n, int k, float[] a, int aOff, int aRowStride, int aColStride,
                         float[] b, int bOff, int bRowStride, int bColStride,
                         float[] c, int cOff, int ldc, boolean accumulate) {
        if (!accumulate && k == 0) zero(c, cOff, ldc, m, n);
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            boolean overwrite = !accumulate && k0 == 0;
            for (int n0 = 0; n0 < n; n0 += NC) {
                int nc = Math.min(NC, n - n0);
                packB(packedB, 0, b, bOff + k0 * bRowStride + n0 * bColStride, bRowStride, bColStride, kc, nc);
                blockProduct(m, nc, kc, a, aOff + k0 * aColStride, aRowStride, aColStride, packedB, 0, kc, c, cOff + n0, ldc, overwrite);
            }
        }
    }

    /** Floats that {@link #packAll} needs for B(k, n). */
    public static int packedSizeAll(int k, int n) {
        int size = 0;
        for (int n0 = 0; n0 < n; n0 += NC) size += k * roundUp(Math.min(NC, n - n0));
        return size;
    }

    /**
     * Packs all of B(k, n) into dst[dstOff ..] in the order {@link #multiplyPrepacked} reads it,
     * so an operand used many times (a weight within one optimizer step) is packed once.
     */
    public static void packAll(float[] dst, int dstOff, float[] b, int bOff, int rowStride, int colStride, int k, int n) {
        int pos = dstOff;
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            for (int n0 = 0; n0 < n; n0 += NC) {
                int nc = Math.min(NC, n - n0);
                packB(dst, pos, b, bOff + k0 * rowStride + n0 * colStride, rowStride, colStride, kc, nc);
                pos += kc * roundUp(nc);
            }
        }
    }

    /** As {@link #multiply}, with B(k, n) read from a buffer filled by {@link #packAll} with the same k and n. */
    public void multiplyPrepacked(int m, int n, int k, float[] a, int aOff, int aRowStride, int aColStride,
                                  float[] packed, int packedOff, float[] c, int cOff, int ldc, boolean accumulate) {
        if (!accumulate && k == 0) zero(c, cOff, ldc, m, n);
        int pos = packedOff;
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            boolean overwrite = !accumulate && k0 == 0;
            for (int n0 = 0; n0 < n; n0 += NC) {
                int nc = Math.min(NC, n - n0);
                blockProduct(m, nc, kc, a, aOff + k0 * aColStride, aRowStride, aColStride, packed, pos, kc, c, cOff + n0, ldc, overwrite);
                pos += kc * roundUp(nc);
            }
        }
    }

    private static int roundUp(int n) {
        return (n + NR - 1) / NR * NR;
    }

    private static void zero(float[] c, int cOff, int ldc, int m, int n) {
        for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
    }

    /**
     * C[m][nc] += A(m, kc) · (one packed kc × nc block of B, whose 16-column panels hold bPanel ≥ kc
     * rows each), or = when overwrite: the first K block of a non-accumulating product stores its
     * tiles, so C is neither zeroed first nor read.
     */
    private void blockProduct(int m, int nc, int kc, float[] a, int aOff, int aRowStride, int aColStride,
                              float[] pb, int pbOff, int bPanel, float[] c, int cOff, int ldc, boolean overwrite) {
        for (int m0 = 0; m0 < m; m0 += MC) {
            int mc = Math.min(MC, m - m0);
            int aBlock = aOff + m0 * aRowStride, cBlock = cOff + m0 * ldc;
            if (aColStride == 1) {
                directMacroKernel(mc, nc, kc, a, aBlock, aRowStride, pb, pbOff, bPanel, c, cBlock, ldc, overwrite);
            } else {
                packA(a, aBlock, aRowStride, aColStride, mc, kc);
                macroKernel(mc, nc, kc, pb, pbOff, bPanel, c, cBlock, ldc, overwrite);
            }
        }
    }

    /**
     * Row-major A needs no packing: the kernel broadcasts from four sequential row streams. Only a
     * ragged last row panel is packed, to pad it with zero rows.
     */
    private void directMacroKernel(int mc, int nc, int kc, float[] a, int aOff, int rs, float[] pb, int pbOff, int bPanel,
                                   float[] c, int cOff, int ldc, boolean overwrite) {
        int fullRows = mc - mc % MR;
        if (fullRows < mc) packA(a, aOff + fullRows * rs, rs, 1, mc - fullRows, kc);
        // Row panel outermost: its four A rows stay in L1 while the C rows are written left to
        // right, which the prefetcher follows; the packed B block streams from L2.
        for (int i0 = 0; i0 < fullRows; i0 += MR) {
            for (int j0 = 0; j0 < nc; j0 += NR) {
                int w = Math.min(NR, nc - j0);
                int cTile = cOff + i0 * ldc + j0;
                if (w == NR) {
                    directMicroKernel(kc, a, aOff + i0 * rs, rs, pb, pbOff + j0 * bPanel, c, cTile, ldc, overwrite);
                } else {
                    directMicroKernel(kc, a, aOff + i0 * rs, rs, pb, pbOff + j0 * bPanel, edgeTile, 0, NR, true);
                    addEdgeTile(c, cTile, ldc, MR, w, overwrite);
                }
            }
        }
        if (fullRows < mc) {
            for (int j0 = 0; j0 < nc; j0 += NR) {
                microKernel(kc, 0, pb, pbOff + j0 * bPanel, edgeTile, 0, NR, true);
                addEdgeTile(c, cOff + fullRows * ldc + j0, ldc, mc - fullRows, Math.min(NR, nc - j0), overwrite);
            }
        }
    }

    private void addEdgeTile(float[] c, int cTile, int ldc, int h, int w, boolean overwrite) {
        for (int r = 0; r < h; r++) {
            if (overwrite) System.arraycopy(edgeTile, r * NR, c, cTile + r * ldc, w);
            else for (int j = 0; j < w; j++) c[cTile + r * ldc + j] += edgeTile[r * NR + j];
        }
    }

    /** Floats needed to hold B(k, n) packed by {@link #packOnce}. */
    public static int packedSize(int k, int n) {
        return k * roundUp(n);
    }

    /**
     * Packs B(k, n), k ≤ {@value #KC}, into {@code dst} once, for several {@link #multiplyPacked}
     * calls that each use a prefix of its columns (attention reuses the packed keys for every
     * query block).
     */
    public static void packOnce(float[] dst, float[] b, int off, int rowStride, int colStride, int k, int n) {
        if (k > KC) throw new IllegalArgumentException("pre-packed B supports k <= " + KC);
        packB(dst, 0, b, off, rowStride, colStride, k, n);
    }

    /** As {@link #multiply}, with B(k, 0..n) taken from a buffer filled by {@link #packOnce} with the same k. */
    public void multiplyPacked(int m, int n, int k, float[] a, int aOff, int aRowStride, int aColStride,
                               float[] packed, float[] c, int cOff, int ldc, boolean accumulate) {
        multiplyPacked(m, n, k, a, aOff, aRowStride, aColStride, packed, k, c, cOff, ldc, accumulate);
    }

    /**
     * As {@link #multiply}, with B(0..k, 0..n) the first k rows of a buffer filled by {@link #packOnce}
     * with packedK ≥ k rows (attention's P·V and dS·K use a growing prefix of the keys).
     */
    public void multiplyPacked(int m, int n, int k, float[] a, int aOff, int aRowStride, int aColStride,
                               float[] packed, int packedK, float[] c, int cOff, int ldc, boolean accumulate) {
        if (k > packedK) throw new IllegalArgumentException("k " + k + " exceeds the " + packedK + " packed rows");
        if (!accumulate && k == 0) zero(c, cOff, ldc, m, n);
        blockProduct(m, n, k, a, aOff, aRowStride, aColStride, packed, 0, packedK, c, cOff, ldc, !accumulate);
    }

    /** B(kc, nc) into NR-wide column panels, each stored k-major and zero-padded to NR. */
    private static void packB(float[] packedB, int dstOff, float[] b, int off, int rs, int cs, int kc, int nc) {
        int dst = dstOff;
        for (int j0 = 0; j0 < nc; j0 += NR) {
            int w = Math.min(NR, nc - j0);
            if (cs == 1 && w == NR) {
                for (int p = 0; p < kc; p++) { // two vector copies beat a 16-float arraycopy call
                    int src = off + p * rs + j0, d = dst + p * NR;
                    FloatVector.fromArray(S, b, src).intoArray(packedB, d);
                    FloatVector.fromArray(S, b, src + 8).intoArray(packedB, d + 8);
                }
            } else {
                for (int j = 0; j < NR; j++) {
                    if (j < w) {
                        int src = off + (j0 + j) * cs;
                        for (int p = 0; p < kc; p++) packedB[dst + p * NR + j] = b[src + p * rs];
                    } else {
                        for (int p = 0; p < kc; p++) packedB[dst + p * NR + j] = 0f;
                    }
                }
            }
            dst += NR * kc;
        }
    }

    /** A[mc][kc] into MR-tall row panels, each stored k-major (MR values per k), zero-padded to MR. */
    private void packA(float[] a, int off, int rs, int cs, int mc, int kc) {
        int dst = 0;
        for (int i0 = 0; i0 < mc; i0 += MR) {
            int h = Math.min(MR, mc - i0);
            int rowBase = off + i0 * rs;
            if (cs == 1) {
                for (int r = 0; r < MR; r++) {
                    if (r < h) {
                        int src = rowBase + r * rs;
                        for (int p = 0; p < kc; p++) packedA[dst + p * MR + r] = a[src + p];
                    } else {
                        for (int p = 0; p < kc; p++) packedA[dst + p * MR + r] = 0f;
                    }
                }
            } else if (rs == 1 && h == MR) {
                // A read column-wise (weight gradients, attention's Pᵀ): four adjacent floats per k
                for (int p = 0; p < kc; p++) FloatVector.fromArray(S4, a, rowBase + p * cs).intoArray(packedA, dst + p * MR);
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = rowBase + p * cs;
                    for (int r = 0; r < MR; r++) packedA[dst + p * MR + r] = r < h ? a[src + r * rs] : 0f;
                }
            }
            dst += MR * kc;
        }
    }

    private void macroKernel(int mc, int nc, int kc, float[] pb, int pbOff, int bPanel, float[] c, int cOff, int ldc,
                             boolean overwrite) {
        for (int i0 = 0; i0 < mc; i0 += MR) {
            int h = Math.min(MR, mc - i0);
            int aPanel = i0 * kc;
            for (int j0 = 0; j0 < nc; j0 += NR) {
                int w = Math.min(NR, nc - j0);
                int cTile = cOff + i0 * ldc + j0;
                if (h == MR && w == NR) {
                    microKernel(kc, aPanel, pb, pbOff + j0 * bPanel, c, cTile, ldc, overwrite);
                } else {
                    microKernel(kc, aPanel, pb, pbOff + j0 * bPanel, edgeTile, 0, NR, true);
                    addEdgeTile(c, cTile, ldc, h, w, overwrite);
                }
            }
        }
    }

    /** C[4][16] (+)= packedA panel · packedB panel over kc; accumulators stay in registers. */
    private void microKernel(int kc, int aPos, float[] pb, int bPos, float[] c, int cOff, int ldc, boolean overwrite) {
        float[] pa = packedA;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ap = aPos + p * MR, bp = bPos + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, pb, bp);
            FloatVector b1 = FloatVector.fromArray(S, pb, bp + 8);
            FloatVector a;
            a = FloatVector.broadcast(S, pa[ap]);
            c00 = b0.fma(a, c00);
            c01 = b1.fma(a, c01);
            a = FloatVector.broadcast(S, pa[ap + 1]);
            c10 = b0.fma(a, c10);
            c11 = b1.fma(a, c11);
            a = FloatVector.broadcast(S, pa[ap + 2]);
            c20 = b0.fma(a, c20);
            c21 = b1.fma(a, c21);
            a = FloatVector.broadcast(S, pa[ap + 3]);
            c30 = b0.fma(a, c30);
            c31 = b1.fma(a, c31);
        }
        // C is added to, or zeros when overwriting: a choice of source array rather than a branch
        // over vector values, which makes C2 box the accumulators
        float[] src = overwrite ? ZERO_TILE : c;
        int s0 = overwrite ? 0 : cOff, sld = overwrite ? NR : ldc;
        addRow(c, cOff, src, s0, c00, c01);
        addRow(c, cOff + ldc, src, s0 + sld, c10, c11);
        addRow(c, cOff + 2 * ldc, src, s0 + 2 * sld, c20, c21);
        addRow(c, cOff + 3 * ldc, src, s0 + 3 * sld, c30, c31);
    }

    /**
     * As {@link #microKernel}, with A read in place: rows at a0, a0+rs, a0+2rs, a0+3rs, unit column stride.
     * Kept as a second copy on purpose: one kernel with the A strides as parameters measured about
     * 15 % slower in {@code GemmBenchmark} (fwd 55 against 65-70 GFLOP/s).
     */
    private void directMicroKernel(int kc, float[] a, int a0, int rs, float[] pb, int bPos, float[] c, int cOff, int ldc,
                                   boolean overwrite) {
        int a1 = a0 + rs, a2 = a1 + rs, a3 = a2 + rs;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bp = bPos + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, pb, bp);
            FloatVector b1 = FloatVector.fromArray(S, pb, bp + 8);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
        }
        // C is added to, or zeros when overwriting: a choice of source array rather than a branch
        // over vector values, which makes C2 box the accumulators
        float[] src = overwrite ? ZERO_TILE : c;
        int s0 = overwrite ? 0 : cOff, sld = overwrite ? NR : ldc;
        addRow(c, cOff, src, s0, c00, c01);
        addRow(c, cOff + ldc, src, s0 + sld, c10, c11);
        addRow(c, cOff + 2 * ldc, src, s0 + 2 * sld, c20, c21);
        addRow(c, cOff + 3 * ldc, src, s0 + 3 * sld, c30, c31);
    }

    /** c[off ..+16] = src[srcOff ..+16] + (lo, hi). */
    private static void addRow(float[] c, int off, float[] src, int srcOff, FloatVector lo, FloatVector hi) {
        FloatVector.fromArray(S, src, srcOff).add(lo).intoArray(c, off);
        FloatVector.fromArray(S, src, srcOff + 8).add(hi).intoArray(c, off + 8);
    }
}
