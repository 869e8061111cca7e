package dev.strata.gguf;

import java.lang.reflect.Array;
import java.util.Arrays;

/**
 * A typed metadata value. Scalars are boxed Java values (unsigned ints widened so they stay
 * non-negative: UINT8/UINT16 to Integer, UINT32 to Long). Arrays hold a Java array: byte[],
 * short[], int[], long[], float[], double[], boolean[], String[] or GgufValue[] (nested), with
 * elementType naming the GGUF type of the elements.
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

    public static GgufValue bool(boolean v) {
        return of(GgufValueType.BOOL, v);
    }

    public boolean isArray() {
        return type == GgufValueType.ARRAY;
    }

    public int arrayLength() {
        return Array.getLength(value);
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
