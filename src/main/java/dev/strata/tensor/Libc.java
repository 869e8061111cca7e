package dev.strata.tensor;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/** Downcalls to the C library for the Linux-only paths (huge pages, direct expert reads); null where unavailable. */
public final class Libc {
    private Libc() {}

    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");

    /** The libc function {@code name} with this signature, or null off Linux or when it cannot be linked. */
    public static MethodHandle find(String name, FunctionDescriptor signature, Linker.Option... options) {
        if (!LINUX) return null;
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find(name).map(s -> linker.downcallHandle(s, signature, options)).orElse(null);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * An on/off setting: system property {@code property}, else environment variable {@code env};
     * unset or blank is on, 0/off/false/no is off, 1/on/true/yes is on, anything else a one-line error.
     */
    public static boolean switchedOn(String property, String env) {
        String v = System.getProperty(property, System.getenv(env));
        if (v == null || v.isBlank()) return true;
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "0", "off", "false", "no" -> false;
            case "1", "on", "true", "yes" -> true;
            default -> throw new dev.strata.StrataException(env + "=" + v + ": expected 1 or 0");
        };
    }
}
