package dev.strata.gguf;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.Objects;

/**
 * A typed metadata value. Scalars are boxed Java values (unsigned ints widened so they stay
 * non-negative: UINT8/UINT16 to Integer, UINT32 to Long). Arrays hold a Java array: byte[],
 * short[], int[], long[], float[], double[], boolean[], String[] or GgufValue[] (nested), with
 * elementType naming the GGUF type of the elements. Equality is by content, arrays included.
 */
public record GgufValue(GgufValueType type, GgufValueType elementType, Object value) {

    public static GgufValue of(GgufValueType type, Object value) {
        return new GgufValue(type, null, value);
    }

    public static GgufValue array(GgufValueType elementType, Object array) {
        return new GgufValue(GgufValueType.ARRAY, elementType, array);
    }

    public static GgufValue string(String s) {
        return of(GgufValueType.STRING, s);
    }

    public static GgufValue u32(long v) {
        return of(GgufValueType.UINT32, v);
    }

    public static GgufValue f32(float v) {
        return of(GgufValueType.FLOAT32, v);
    }

    public static GgufValue u8(int v) {
        return of(GgufValueType.UINT8, v);
    }

    public static GgufValue i8(byte v) {
        return of(GgufValueType.INT8, v);
    }

    public static GgufValue u16(int v) {
        return of(GgufValueType.UINT16, v);
    }

    public static GgufValue i16(short v) {
        return of(GgufValueType.INT16, v);
    }

    public static GgufValue i32(int v) {
        return of(GgufValueType.INT32, v);
    }

    public static GgufValue u64(long v) {
        return of(GgufValueType.UINT64, v);
    }

    public static GgufValue i64(long v) {
        return of(GgufValueType.INT64, v);
    }

    public static GgufValue f64(double v) {
        return of(GgufValueType.FLOAT64, v);
    }

    public static GgufValue strings(String... values) {
        return array(GgufValueType.STRING, values);
    }

    public static GgufValue bool(boolean v) {
        return of(GgufValueType.BOOL, v);
    }

    public boolean isArray() {
        return type == GgufValueType.ARRAY;
    }

    public int arrayLength() {
        return Array.getLength(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufValue v && type == v.type && elementType == v.elementType && Objects.deepEquals(value, v.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, elementType) * 31 + Arrays.deepHashCode(new Object[] {value});
    }

    /** Short human-readable form for `strata info`. */
    public String display() {
        if (!isArray()) return type == GgufValueType.STRING ? abbreviate((String) value) : String.valueOf(value);
        int n = arrayLength();
        if (n > 8) return "[" + elementType.name().toLowerCase() + " x " + n + "]";
        return switch (value) {
            case int[] a -> Arrays.toString(a);
            case long[] a -> Arrays.toString(a);
            case float[] a -> Arrays.toString(a);
            case double[] a -> Arrays.toString(a);
            case byte[] a -> Arrays.toString(a);
            case short[] a -> Arrays.toString(a);
            case boolean[] a -> Arrays.toString(a);
            case Object[] a -> Arrays.toString(a);
            default -> String.valueOf(value);
        };
    }

    private static String abbreviate(String s) {
        String oneLine = s.replace("\n", "\\n");
        return oneLine.length() > 60 ? oneLine.substring(0, 57) + "..." : oneLine;
    }
}
