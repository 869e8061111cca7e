package dev.strata.gguf;

import dev.strata.StrataException;
import dev.strata.tensor.quant.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Bounds-checked little-endian cursor over the GGUF header. Every count read from the file is
 * checked against the bytes left before anything is allocated, so a corrupt file cannot cause an
 * out-of-memory error or a hang.
 */
final class GgufReader {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final int MAX_NESTING = 4;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final MemorySegment seg;
    private final String file;
    private final int version;
    long pos;

    GgufReader(MemorySegment seg, String file, int version) {
        this.seg = seg;
        this.file = file;
        this.version = version;
    }

    GgufFormatException error(String what) {
        return new GgufFormatException(file, what);
    }

    private void need(long n, String what) {
        if (n < 0 || pos + n > seg.byteSize() || pos + n < pos) {
            throw error("truncated file: reading a " + n + "-byte " + what + " at byte " + pos + " runs past the end of the file (" + seg.byteSize() + " bytes)");
        }
    }

    long remaining() {
        return seg.byteSize() - pos;
    }

    int u8() {
        need(1, "u8");
        return Byte.toUnsignedInt(seg.get(ValueLayout.JAVA_BYTE, pos++));
    }

    short i16() {
        need(2, "i16");
        short v = seg.get(I16, pos);
        pos += 2;
        return v;
    }

    int i32() {
        need(4, "i32");
        int v = seg.get(I32, pos);
        pos += 4;
        return v;
    }

    long i64() {
        need(8, "i64");
        long v = seg.get(I64, pos);
        pos += 8;
        return v;
    }

    /** A count or size field: u64 in v2+, u32 in v1 (GGUF v2 widened them all). */
    long size() {
        return version == 1 ? Integer.toUnsignedLong(i32()) : i64();
    }

    /** A count field that must be at most max; the message says why max is the limit. */
    long count(String what, long max, String limitReason) {
        long at = pos;
        long n = size();
        if (n < 0 || n > max) {
            throw error(what + " " + Long.toUnsignedString(n) + " at byte " + at + " is implausible: " + limitReason);
        }
        return n;
    }

    String string(String what) {
        return string(() -> what);
    }

    /** The description is built only for the error message: string arrays can hold 100k+ elements. */
    String string(Supplier<String> what) {
        long at = pos;
        long len = size();
        if (len < 0 || len > remaining()) {
            throw error(what.get() + " at byte " + at + " has length " + Long.toUnsignedString(len) + ", larger than the " + remaining() + " bytes left in the file");
        }
        byte[] b = seg.asSlice(pos, len).toArray(ValueLayout.JAVA_BYTE);
        pos += len;
        return new String(b, StandardCharsets.UTF_8);
    }

    GgufValue value(GgufValueType type, String key, int depth) {
        return switch (type) {
            case UINT8 -> GgufValue.of(type, u8());
            case INT8 -> GgufValue.of(type, (byte) u8());
            case UINT16 -> GgufValue.of(type, Short.toUnsignedInt(i16()));
            case INT16 -> GgufValue.of(type, i16());
            case UINT32 -> GgufValue.of(type, Integer.toUnsignedLong(i32()));
            case INT32 -> GgufValue.of(type, i32());
            case FLOAT32 -> GgufValue.of(type, Float.intBitsToFloat(i32()));
            case BOOL -> GgufValue.of(type, u8() != 0);
            case STRING -> GgufValue.of(type, string(() -> "string value of " + StrataException.quote(key)));
            case UINT64, INT64 -> GgufValue.of(type, i64());
            case FLOAT64 -> GgufValue.of(type, Double.longBitsToDouble(i64()));
            case ARRAY -> array(key, depth);
        };
    }

    GgufValueType valueType(String key) {
        int id = i32();
        GgufValueType t = GgufValueType.byId(id);
        if (t == null) throw error("unknown metadata value type " + id + " for key " + StrataException.quote(key) + " at byte " + (pos - 4));
        return t;
    }

    private GgufValue array(String key, int depth) {
        if (depth >= MAX_NESTING) throw error("arrays nested more than " + MAX_NESTING + " deep in key " + StrataException.quote(key));
        GgufValueType et = valueType(key);
        long sizeField = version == 1 ? 4 : 8;
        long minElementSize = et.size > 0 ? et.size : (et == GgufValueType.STRING ? sizeField : 4 + sizeField);
        long at = pos;
        long n = size();
        long fit = remaining() / minElementSize;
        if (n < 0 || n > fit) {
            throw error("array " + StrataException.quote(key) + " at byte " + at + " claims " + Long.toUnsignedString(n) + " "
                    + et.name().toLowerCase() + " elements, but the " + remaining() + " bytes left in the file hold at most " + fit);
        }
        if (n > MAX_ARRAY) throw error("array " + StrataException.quote(key) + " has " + n + " elements, more than a Java array can hold");
        int len = (int) n;
        Object arr = switch (et) {
            case UINT8, INT8 -> {
                byte[] a = seg.asSlice(pos, len).toArray(ValueLayout.JAVA_BYTE);
                pos += len;
                yield a;
            }
            case BOOL -> {
                boolean[] a = new boolean[len];
                for (int i = 0; i < len; i++) a[i] = u8() != 0;
                yield a;
            }
            case UINT16, INT16 -> {
                short[] a = new short[len];
                for (int i = 0; i < len; i++) a[i] = i16();
                yield a;
            }
            case UINT32, INT32 -> {
                int[] a = new int[len];
                for (int i = 0; i < len; i++) a[i] = i32();
                yield a;
            }
            case UINT64, INT64 -> {
                long[] a = new long[len];
                for (int i = 0; i < len; i++) a[i] = i64();
                yield a;
            }
            case FLOAT32 -> {
                float[] a = new float[len];
                for (int i = 0; i < len; i++) a[i] = Float.intBitsToFloat(i32());
                yield a;
            }
            case FLOAT64 -> {
                double[] a = new double[len];
                for (int i = 0; i < len; i++) a[i] = Double.longBitsToDouble(i64());
                yield a;
            }
            case STRING -> {
                String[] a = new String[len];
                for (int i = 0; i < len; i++) {
                    int index = i;
                    a[i] = string(() -> "string element " + index + " of " + StrataException.quote(key));
                }
                yield a;
            }
            case ARRAY -> {
                GgufValue[] a = new GgufValue[len];
                for (int i = 0; i < len; i++) a[i] = array(key, depth + 1);
                yield a;
            }
        };
        return GgufValue.array(et, arr);
    }

    GgmlType ggmlType(String tensor) {
        int id = i32();
        GgmlType t = GgmlType.byId(id);
        if (t == null) throw error("unknown GGML type " + id + " for tensor " + StrataException.quote(tensor) + " at byte " + (pos - 4));
        return t;
    }
}
