package dev.strata.tensor.quant;

/**
 * Activation rows converted to a weight type's vec-dot type, laid out token after token.
 * Which arrays are used depends on {@link #dotType}:
 * <ul>
 *   <li>F32, F16, BF16: {@link #f} holds nTokens*cols floats (rounded to F16/BF16 for those types);</li>
 *   <li>Q8_0: {@link #q} holds the int8 quants, {@link #d} one scale per 32-block (F16-rounded);</li>
 *   <li>Q8_1: as Q8_0 plus {@link #s} = d * sum(q) per block (F16-rounded), as ggml's block_q8_1;</li>
 *   <li>Q8_K: {@link #q}, {@link #d} one fp32 scale per 256-block, {@link #bsums} 16 sums per block.</li>
 * </ul>
 * Block b of token t is at index t*(cols/blockSize)+b.
 */
public final class Activations {
    public final GgmlType dotType;
    public final int nTokens;
    public final int cols;
    public final float[] f;
    public final byte[] q;
    public final float[] d;
    public final float[] s;
    public final short[] bsums;

    public Activations(GgmlType dotType, int nTokens, int cols, float[] f, byte[] q, float[] d, float[] s, short[] bsums) {
        this.dotType = dotType;
        this.nTokens = nTokens;
        this.cols = cols;
        this.f = f;
        this.q = q;
        this.d = d;
        this.s = s;
        this.bsums = bsums;
    }

    public int blocksPerRow() {
        return cols / dotType.blockSize;
    }
}
