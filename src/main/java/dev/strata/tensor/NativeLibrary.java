package dev.strata.tensor;

import dev.strata.ContentCache;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Finds and binds libstrata (built from src/main/c by the Maven build when a C compiler is
 * present). Lookup order: the path in system property {@code strata.native.lib}, then the
 * classpath resource {@code native/<os>-<arch>/libstrata.so} (a plain file under target/classes,
 * or extracted from the jar once per content hash into the private cache directory, see {@link ContentCache}). Loading happens once; when it fails,
 * {@link #unavailableReason()} says why in one line.
 */
public final class NativeLibrary {
    private NativeLibrary() {}

    /** Must equal STRATA_ABI_VERSION in strata_kernels.h. */
    static final int ABI_VERSION = 1;
    static final String RESOURCE = "native/" + platform() + "/" + System.mapLibraryName("strata");

    private static final MethodHandle MATMUL;
    private static final boolean AVX2;
    private static final String FAILURE;

    static {
        MethodHandle matmul = null;
        boolean avx2 = false;
        String failure = null;
        try {
            SymbolLookup lib = SymbolLookup.libraryLookup(locate(), Arena.global());
            Linker linker = Linker.nativeLinker();
            int abi = (int) linker.downcallHandle(find(lib, "strata_abi_version"), FunctionDescriptor.of(JAVA_INT)).invokeExact();
            if (abi != ABI_VERSION) throw new IllegalStateException("libstrata ABI " + abi + ", expected " + ABI_VERSION + " (rebuild with mvn package)");
            avx2 = (int) linker.downcallHandle(find(lib, "strata_cpu_has_avx2"), FunctionDescriptor.of(JAVA_INT)).invokeExact() != 0;
            // critical(true): heap arrays (activations, output) are passed in place, no copies and
            // no per-call allocation; the calls are short and never call back into Java.
            matmul = linker.downcallHandle(find(lib, "strata_matmul"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT,
                            ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT),
                    Linker.Option.critical(true));
        } catch (Throwable e) {
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
            matmul = null;
        }
        MATMUL = matmul;
        AVX2 = avx2;
        FAILURE = failure;
    }

    public static boolean isAvailable() {
        return MATMUL != null;
    }

    /** True when the library loaded and this CPU runs its AVX2+FMA path. */
    public static boolean hasAvx2() {
        return MATMUL != null && AVX2;
    }

    /** Why the library is not available, or null. */
    public static String unavailableReason() {
        return FAILURE;
    }

    static MethodHandle matmul() {
        return MATMUL;
    }

    private static MemorySegment find(SymbolLookup lib, String name) {
        return lib.find(name).orElseThrow(() -> new IllegalStateException("libstrata lacks symbol " + name));
    }

    private static Path locate() throws IOException {
        String override = System.getProperty("strata.native.lib");
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            if (!Files.isRegularFile(p)) throw new IllegalStateException("strata.native.lib=" + override + " is not a file");
            return p;
        }
        URL url = NativeLibrary.class.getClassLoader().getResource(RESOURCE);
        if (url == null) throw new IllegalStateException("libstrata was not built for " + platform() + " (no C compiler at build time?)");
        if ("file".equals(url.getProtocol())) {
            try {
                return Path.of(url.toURI());
            } catch (java.net.URISyntaxException e) {
                throw new IOException(e);
            }
        }
        try (InputStream in = url.openStream()) {
            return ContentCache.userDefault().file("libstrata", ".so", in.readAllBytes());
        }
    }

    /** "linux-amd64" style, matching the directory the Maven build writes to. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return os + "-" + arch;
    }
}
