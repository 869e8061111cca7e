package dev.strata.tensor;

import dev.strata.StrataException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * libstrata's instruction-set levels, lowest first; ordinals equal the C enum in strata_kernels.h.
 * A CPU that runs a level runs portable and avx2 too, so those can be forced for testing; AVX-512
 * VNNI does not imply AVX-VNNI (Zen 4 has the first only), see {@link NativeLibrary#cpuRuns}.
 */
public enum NativeLevel {
    PORTABLE, AVX2, AVXVNNI, AVX512VNNI;

    /** Environment variable that forces a level (lower than or equal to the CPU's). */
    public static final String ENV = "STRATA_NATIVE_LEVEL";
    /** System property with the same meaning; it wins over the environment variable. */
    public static final String PROPERTY = "strata.native.level";

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static NativeLevel parse(String s) {
        for (NativeLevel l : values()) if (l.label().equals(s.trim().toLowerCase(Locale.ROOT))) return l;
        throw new StrataException("unknown native level '" + s + "' (valid: " + validNames() + ")");
    }

    static NativeLevel ofOrdinal(int ordinal) {
        return values()[Math.max(0, Math.min(ordinal, values().length - 1))];
    }

    static String validNames() {
        return Arrays.stream(values()).map(NativeLevel::label).collect(Collectors.joining("|"));
    }

    /** The level asked for by -Dstrata.native.level or $STRATA_NATIVE_LEVEL, or null. */
    static String requested() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) return p;
        String e = System.getenv(ENV);
        return e == null || e.isBlank() ? null : e;
    }
}
