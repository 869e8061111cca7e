package dev.strata.gguf;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Hand-assembles GGUF bytes field by field, so tests can build headers the writer refuses to produce. */
final class RawGguf {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final boolean v1;

    private RawGguf(boolean v1) {
        this.v1 = v1;
    }

    static RawGguf v3(long tensors, long kvs) {
        return new RawGguf(false).u32(GgufFile.MAGIC).u32(3).u64(tensors).u64(kvs);
    }

    /** v1 used 32-bit counts, string lengths and dimensions. */
    static RawGguf v1(int tensors, int kvs) {
        return new RawGguf(true).u32(GgufFile.MAGIC).u32(1).u32(tensors).u32(kvs);
    }

    RawGguf u8(int v) {
        out.write(v);
        return this;
    }

    RawGguf u32(int v) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        return this;
    }

    RawGguf u64(long v) {
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        return this;
    }

    /** A count/length/dimension field: u32 in v1, u64 otherwise. */
    RawGguf size(long v) {
        return v1 ? u32((int) v) : u64(v);
    }

    RawGguf str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        size(b.length);
        out.writeBytes(b);
        return this;
    }

    RawGguf kvU32(String key, int v) {
        return str(key).u32(GgufValueType.UINT32.id()).u32(v);
    }

    RawGguf kvString(String key, String v) {
        return str(key).u32(GgufValueType.STRING.id()).str(v);
    }

    RawGguf tensorInfo(String name, int ggmlType, long offset, long... shape) {
        str(name).u32(shape.length);
        for (long d : shape) size(d);
        return u32(ggmlType).u64(offset);
    }

    /** Zero padding up to the alignment, then n zero bytes of tensor data. */
    RawGguf data(int alignment, int n) {
        while (out.size() % alignment != 0) out.write(0);
        out.writeBytes(new byte[n]);
        return this;
    }

    int size() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    MemorySegment segment() {
        return MemorySegment.ofArray(bytes());
    }
}
