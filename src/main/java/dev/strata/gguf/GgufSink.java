package dev.strata.gguf;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * Buffered little-endian encoder onto a channel that tracks how many bytes it has produced. The
 * header goes through the buffer; tensor data bypasses it (see {@link #segment}).
 */
final class GgufSink {
    /** Large segments are written in slices because a ByteBuffer view cannot exceed 2 GiB. */
    private static final long SEGMENT_CHUNK = 1L << 28;

    private final WritableByteChannel out;
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private long flushed;

    GgufSink(WritableByteChannel out) {
        this.out = out;
    }

    long position() {
        return flushed + buf.position();
    }

    private void room(int n) throws IOException {
        if (buf.remaining() < n) flush();
    }

    void u8(int v) throws IOException {
        room(1);
        buf.put((byte) v);
    }

    void i16(short v) throws IOException {
        room(2);
        buf.putShort(v);
    }

    void i32(int v) throws IOException {
        room(4);
        buf.putInt(v);
    }

    void i64(long v) throws IOException {
        room(8);
        buf.putLong(v);
    }

    void bytes(byte[] b) throws IOException {
        if (b.length > buf.remaining()) {
            flush();
            if (b.length > buf.capacity()) {
                writeFully(ByteBuffer.wrap(b));
                return;
            }
        }
        buf.put(b);
    }

    void string(String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        i64(b.length);
        bytes(b);
    }

    void zeros(long n) throws IOException {
        for (long i = 0; i < n; i++) u8(0);
    }

    /** Pads with zero bytes up to the next multiple of alignment. */
    void padTo(int alignment) throws IOException {
        zeros(GgufWriter.alignUp(position(), alignment) - position());
    }

    void segment(MemorySegment data) throws IOException {
        flush();
        for (long off = 0; off < data.byteSize(); off += SEGMENT_CHUNK) {
            writeFully(data.asSlice(off, Math.min(SEGMENT_CHUNK, data.byteSize() - off)).asByteBuffer());
        }
    }

    /** Accounts for bytes that a caller wrote straight to the channel after {@link #flush}. */
    void skipped(long n) {
        flushed += n;
    }

    void flush() throws IOException {
        buf.flip();
        writeFully(buf);
        buf.clear();
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) flushed += out.write(b);
    }

    /** Encodes a value's payload (the type id is written by the caller). */
    void value(GgufValue v) throws IOException {
        switch (v.type()) {
            case UINT8, INT8 -> u8(((Number) v.value()).intValue());
            case UINT16, INT16 -> i16(((Number) v.value()).shortValue());
            case UINT32, INT32 -> i32((int) ((Number) v.value()).longValue());
            case FLOAT32 -> i32(Float.floatToRawIntBits(((Number) v.value()).floatValue()));
            case BOOL -> u8((Boolean) v.value() ? 1 : 0);
            case STRING -> string((String) v.value());
            case UINT64, INT64 -> i64(((Number) v.value()).longValue());
            case FLOAT64 -> i64(Double.doubleToRawLongBits(((Number) v.value()).doubleValue()));
            case ARRAY -> array(v);
        }
    }

    /** An array body: element type, count, elements; nested arrays repeat this without a type id of their own. */
    private void array(GgufValue v) throws IOException {
        i32(v.elementType().id());
        i64(v.arrayLength());
        switch (v.value()) {
            case byte[] a -> bytes(a);
            case boolean[] a -> { for (boolean e : a) u8(e ? 1 : 0); }
            case short[] a -> { for (short e : a) i16(e); }
            case int[] a -> { for (int e : a) i32(e); }
            case long[] a -> { for (long e : a) i64(e); }
            case float[] a -> { for (float e : a) i32(Float.floatToRawIntBits(e)); }
            case double[] a -> { for (double e : a) i64(Double.doubleToRawLongBits(e)); }
            case String[] a -> { for (String e : a) string(e); }
            case GgufValue[] a -> { for (GgufValue e : a) array(e); }
            default -> throw new IllegalStateException("unvalidated array " + v.value().getClass());
        }
    }
}
