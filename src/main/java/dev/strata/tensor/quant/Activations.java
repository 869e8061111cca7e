package dev.strata.tensor.quant;

/**
 * Activation rows converted to a weight type's vec-dot type, laid out token after token.
 * Which arrays are used depends on {@link #dotType}:
 * <ul>
 *   <li>F32, F16, BF16: {@link #f} holds nTokens*cols floats (rounded to F16/BF16 for those types);</li>
 *   <li>Q8_0: {@link #q} holds the int8 quants, {@link #d} one scale per 32-block (F16-rounded), and where
 *   {@code ActivationQuantizer} made them {@link #bsums} the sum of each block's quants;</li>
 *   <li>Q8_1: as Q8_0 plus {@link #s} = d * sum(q) per block (F16-rounded), as ggml's block_q8_1;</li>
 *   <li>Q8_K: {@link #q}, {@link #d} one fp32 scale per 256-block, {@link #bsums} 16 sums per block.</li>
 * </ul>
 * Block b of token t is at index t*(cols/blockSize)+b. Arrays may be longer than the rows need:
 * a reusable instance ({@link #Activations()}) keeps its buffers and grows them only for a larger
 * batch, so the decode loop converts activations without allocating.
 *
 * <p>Kernel-specific precomputations ride along when a provider made them: {@link #wide} (Q8_0
 * quants widened to int16) and {@link #values} (q*d per value, for the tiled matmul); null otherwise.
 */
public final class Activations {
    public GgmlType dotType;
    public int nTokens;
    public int cols;
    public float[] f;
    public byte[] q;
    public float[] d;
    public float[] s;
    public short[] bsums;
    public short[] wide;
    public float[] values;
    /**
     * Forces the per-row dots even for a batch the tiled matmul would take. The caller sets it (it
     * survives {@link #set}) when these rows must give the bits they give with fewer rows.
     */
    public boolean rowDots;

    private float[] fBuf = new float[0], dBuf = new float[0], sBuf = new float[0], valuesBuf = new float[0];
    private byte[] qBuf = new byte[0];
    private short[] bsumsBuf = new short[0], wideBuf = new short[0];

    public Activations(GgmlType dotType, int nTokens, int cols, float[] f, byte[] q, float[] d, float[] s, short[] bsums) {
        set(dotType, nTokens, cols, f, q, d, s, bsums);
    }

    /** An empty reusable instance for {@link KernelProvider#prepareInto}. */
    public Activations() {}

    /** Points the public fields at a new content; drops the kernel-specific extras. */
    public Activations set(GgmlType dotType, int nTokens, int cols, float[] f, byte[] q, float[] d, float[] s, short[] bsums) {
        this.dotType = dotType;
        this.nTokens = nTokens;
        this.cols = cols;
        this.f = f;
        this.q = q;
        this.d = d;
        this.s = s;
        this.bsums = bsums;
        this.wide = null;
        this.values = null;
        return this;
    }

    public int blocksPerRow() {
        return cols / dotType.blockSize;
    }

    public float[] floatBuffer(int n) {
        if (fBuf.length < n) fBuf = new float[n];
        return fBuf;
    }

    public byte[] quantBuffer(int n) {
        if (qBuf.length < n) qBuf = new byte[n];
        return qBuf;
    }

    public float[] scaleBuffer(int n) {
        if (dBuf.length < n) dBuf = new float[n];
        return dBuf;
    }

    public float[] sumBuffer(int n) {
        if (sBuf.length < n) sBuf = new float[n];
        return sBuf;
    }

    public short[] blockSumBuffer(int n) {
        if (bsumsBuf.length < n) bsumsBuf = new short[n];
        return bsumsBuf;
    }

    public short[] wideBuffer(int n) {
        if (wideBuf.length < n) wideBuf = new short[n];
        return wideBuf;
    }

    public float[] valueBuffer(int n) {
        if (valuesBuf.length < n) valuesBuf = new float[n];
        return valuesBuf;
    }
}
