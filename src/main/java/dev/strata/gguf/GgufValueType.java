package dev.strata.gguf;

/** GGUF metadata value types, ids as in the GGUF spec. */
public enum GgufValueType {
    UINT8(1), INT8(1), UINT16(2), INT16(2), UINT32(4), INT32(4), FLOAT32(4), BOOL(1), STRING(-1), ARRAY(-1),
    UINT64(8), INT64(8), FLOAT64(8);

    /** Fixed size in bytes, or -1 for variable-size types. */
    public final int size;

    GgufValueType(int size) {
        this.size = size;
    }

    /** The id written to files (the spec numbers the types in declaration order). */
    public int id() {
        return ordinal();
    }

    public static GgufValueType byId(int id) {
        GgufValueType[] v = values();
        return id >= 0 && id < v.length ? v[id] : null;
    }
}
