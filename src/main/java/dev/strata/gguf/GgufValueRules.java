package dev.strata.gguf;

import dev.strata.StrataException;

/**
 * Checks that a value can be written as its declared type and converts scalars to the Java types
 * {@link GgufReader} produces, so a written-then-read value equals the one that was put.
 */
final class GgufValueRules {
    private static final int MAX_NESTING = 4;

    private GgufValueRules() {}

    static GgufValue canonical(String key, GgufValue v) {
        if (v == null || v.type() == null) throw invalid(key, "has no value or type");
        return v.isArray() ? array(key, v, 0) : scalar(key, v);
    }

    private static GgufValue scalar(String key, GgufValue v) {
        if (v.elementType() != null) throw invalid(key, "is a " + name(v.type()) + " scalar but has an element type");
        Object o = v.value();
        return switch (v.type()) {
            case UINT8 -> GgufValue.of(v.type(), (int) integer(key, v, 0, 0xff));
            case INT8 -> GgufValue.of(v.type(), (byte) integer(key, v, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case UINT16 -> GgufValue.of(v.type(), (int) integer(key, v, 0, 0xffff));
            case INT16 -> GgufValue.of(v.type(), (short) integer(key, v, Short.MIN_VALUE, Short.MAX_VALUE));
            case UINT32 -> GgufValue.of(v.type(), integer(key, v, 0, 0xffff_ffffL));
            case INT32 -> GgufValue.of(v.type(), (int) integer(key, v, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case UINT64, INT64 -> GgufValue.of(v.type(), integer(key, v, Long.MIN_VALUE, Long.MAX_VALUE));
            case FLOAT32 -> GgufValue.of(v.type(), number(key, v).floatValue());
            case FLOAT64 -> GgufValue.of(v.type(), number(key, v).doubleValue());
            case BOOL -> {
                if (!(o instanceof Boolean)) throw mismatch(key, v);
                yield v;
            }
            case STRING -> {
                if (!(o instanceof String)) throw mismatch(key, v);
                yield v;
            }
            case ARRAY -> throw new IllegalStateException("arrays are handled by array()");
        };
    }

    /** Integers only (u64 values above Long.MAX_VALUE are carried as negative longs, as the reader does). */
    private static long integer(String key, GgufValue v, long min, long max) {
        if (!(v.value() instanceof Byte || v.value() instanceof Short || v.value() instanceof Integer || v.value() instanceof Long)) {
            throw mismatch(key, v);
        }
        long x = ((Number) v.value()).longValue();
        if (x < min || x > max) throw invalid(key, "value " + x + " does not fit in " + name(v.type()));
        return x;
    }

    private static Number number(String key, GgufValue v) {
        if (!(v.value() instanceof Number n)) throw mismatch(key, v);
        return n;
    }

    private static GgufValue array(String key, GgufValue v, int depth) {
        if (depth >= MAX_NESTING) throw invalid(key, "nests arrays more than " + MAX_NESTING + " deep");
        GgufValueType et = v.elementType();
        Object a = v.value();
        if (et == null) throw invalid(key, "is an array without an element type");
        boolean matches = switch (et) {
            case UINT8, INT8 -> a instanceof byte[];
            case UINT16, INT16 -> a instanceof short[];
            case UINT32, INT32 -> a instanceof int[];
            case UINT64, INT64 -> a instanceof long[];
            case FLOAT32 -> a instanceof float[];
            case FLOAT64 -> a instanceof double[];
            case BOOL -> a instanceof boolean[];
            case STRING -> a instanceof String[];
            case ARRAY -> a instanceof GgufValue[];
        };
        if (!matches) {
            throw invalid(key, "is an array of " + name(et) + " but holds " + (a == null ? "null" : a.getClass().getSimpleName()));
        }
        if (a instanceof String[] strings) {
            for (String s : strings) if (s == null) throw invalid(key, "holds a null string");
        }
        if (a instanceof GgufValue[] inner) {
            GgufValue[] checked = new GgufValue[inner.length];
            for (int i = 0; i < inner.length; i++) {
                if (inner[i] == null || !inner[i].isArray()) throw invalid(key, "nested element " + i + " is not an array");
                checked[i] = array(key, inner[i], depth + 1);
            }
            return GgufValue.array(et, checked);
        }
        return v;
    }

    private static String name(GgufValueType t) {
        return t.name().toLowerCase();
    }

    private static StrataException mismatch(String key, GgufValue v) {
        String held = v.value() == null ? "null" : v.value().getClass().getSimpleName();
        return invalid(key, "is declared " + name(v.type()) + " but its value is a java " + held);
    }

    private static StrataException invalid(String key, String problem) {
        return new StrataException("gguf writer: metadata key '" + key + "' " + problem);
    }
}
