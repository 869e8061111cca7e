package dev.strata.tensor;

import dev.strata.tensor.quant.GgmlType;
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
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
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
    static final int ABI_VERSION = 4;
    static final String RESOURCE = "native/" + platform() + "/" + System.mapLibraryName("strata");

    private static final MethodHandle MATMUL;
    /** strata_repack, strata_matmul_packed, strata_packed_kernel_name (see {@link NativeRepack}). */
    private static final MethodHandle REPACK, MATMUL_PACKED, PACKED_NAME;
    /** strata_attn_scores, strata_attn_values: attention over the F16 KV cache. */
    private static final MethodHandle ATTN_SCORES, ATTN_VALUES;
    private static final MethodHandle KERNEL_NAME;
    private static final NativeLevel CPU_LEVEL;
    private static final java.util.Set<NativeLevel> CPU_RUNS;
    private static final NativeLevel LEVEL;
    private static final boolean FORCED;
    private static final boolean BF16;
    private static final String FAILURE;

    static {
        MethodHandle matmul = null, kernelName = null, repack = null, matmulPacked = null, packedName = null, scores = null, values = null;
        NativeLevel cpu = NativeLevel.PORTABLE, level = NativeLevel.PORTABLE;
        java.util.EnumSet<NativeLevel> runs = java.util.EnumSet.of(NativeLevel.PORTABLE);
        boolean bf16 = false, forced = false;
        String failure = null;
        try {
            SymbolLookup lib = SymbolLookup.libraryLookup(locate(), Arena.global());
            Linker linker = Linker.nativeLinker();
            int abi = (int) linker.downcallHandle(find(lib, "strata_abi_version"), FunctionDescriptor.of(JAVA_INT)).invokeExact();
            if (abi != ABI_VERSION) throw new IllegalStateException("libstrata ABI " + abi + ", expected " + ABI_VERSION + " (rebuild with mvn package)");
            cpu = NativeLevel.ofOrdinal((int) linker.downcallHandle(find(lib, "strata_cpu_level"), FunctionDescriptor.of(JAVA_INT)).invokeExact());
            bf16 = (int) linker.downcallHandle(find(lib, "strata_cpu_has_bf16"), FunctionDescriptor.of(JAVA_INT)).invokeExact() != 0;
            MethodHandle cpuRuns = linker.downcallHandle(find(lib, "strata_cpu_runs"), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
            for (NativeLevel l : NativeLevel.values()) if ((int) cpuRuns.invokeExact(l.ordinal()) != 0) runs.add(l);
            kernelName = linker.downcallHandle(find(lib, "strata_kernel_name"), FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_INT));
            level = cpu;
            String asked = NativeLevel.requested();
            if (asked != null) {
                level = NativeLevel.parse(asked);
                forced = true;
                if (!runs.contains(level)) {
                    throw new IllegalStateException(NativeLevel.ENV + "=" + level.label() + " but this CPU lacks it (its best: " + cpu.label() + ")");
                }
            }
            // critical(true): heap arrays (activations, output) are passed in place, no copies and
            // no per-call allocation; the calls are short and never call back into Java.
            matmul = linker.downcallHandle(find(lib, "strata_matmul"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT,
                            ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT),
                    Linker.Option.critical(true));
            matmulPacked = linker.downcallHandle(find(lib, "strata_matmul_packed"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT,
                            ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT),
                    Linker.Option.critical(true));
            // critical too: weights held in a Java array (tests, read-into-memory loads) are read in place
            repack = linker.downcallHandle(find(lib, "strata_repack"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS), Linker.Option.critical(true));
            scores = linker.downcallHandle(find(lib, "strata_attn_scores"), FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG,
                    JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT), Linker.Option.critical(true));
            values = linker.downcallHandle(find(lib, "strata_attn_values"), FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG,
                    JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.critical(true));
            packedName = linker.downcallHandle(find(lib, "strata_packed_kernel_name"), FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_INT));
        } catch (Throwable e) {
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
            matmul = null;
        }
        MATMUL = matmul;
        REPACK = matmul == null ? null : repack;
        MATMUL_PACKED = matmul == null ? null : matmulPacked;
        PACKED_NAME = matmul == null ? null : packedName;
        ATTN_SCORES = matmul == null ? null : scores;
        ATTN_VALUES = matmul == null ? null : values;
        KERNEL_NAME = kernelName;
        CPU_LEVEL = cpu;
        CPU_RUNS = java.util.Collections.unmodifiableSet(runs);
        LEVEL = level;
        FORCED = forced;
        BF16 = bf16;
        FAILURE = failure;
    }

    public static boolean isAvailable() {
        return MATMUL != null;
    }

    /** True when the library loaded and runs at the AVX2 level or higher. */
    public static boolean hasAvx2() {
        return MATMUL != null && LEVEL.compareTo(NativeLevel.AVX2) >= 0;
    }

    /** The level chosen at load: the CPU's highest, or the one forced by $STRATA_NATIVE_LEVEL. */
    public static NativeLevel level() {
        return LEVEL;
    }

    /** The highest level this CPU runs. */
    public static NativeLevel cpuLevel() {
        return CPU_LEVEL;
    }

    /** True when this CPU runs the level's instructions (AVX-512 VNNI does not imply AVX-VNNI). */
    public static boolean cpuRuns(NativeLevel level) {
        return CPU_RUNS.contains(level);
    }

    /** True when the level was forced by $STRATA_NATIVE_LEVEL or -Dstrata.native.level. */
    public static boolean levelForced() {
        return FORCED;
    }

    /** True when the avx512vnni level has AVX512-BF16 (vdpbf16ps) for BF16 weights. */
    public static boolean hasBf16Dot() {
        return BF16;
    }

    /** e.g. "q4_0 tile 4x4 avx512vnni": the C kernel that runs for this type at this level. */
    public static String kernelName(GgmlType type, NativeLevel level) {
        if (KERNEL_NAME == null) return "";
        try {
            MemorySegment s = (MemorySegment) KERNEL_NAME.invokeExact(type.id, level.ordinal());
            return s.reinterpret(Long.MAX_VALUE).getString(0);
        } catch (Throwable e) {
            throw new IllegalStateException("strata_kernel_name failed", e);
        }
    }

    /** e.g. "q4_0 repacked 16x8 avx512vnni": the kernel over repacked weights, "" when the level has none. */
    public static String packedKernelName(GgmlType type, NativeLevel level) {
        if (PACKED_NAME == null) return "";
        try {
            MemorySegment s = (MemorySegment) PACKED_NAME.invokeExact(type.id, level.ordinal());
            return s.reinterpret(Long.MAX_VALUE).getString(0);
        } catch (Throwable e) {
            throw new IllegalStateException("strata_packed_kernel_name failed", e);
        }
    }

    /** One line for info and bench: "native avx512vnni (CPU's best), bf16 dot, repack q4_0 q8_0" or why it is off. */
    public static String describe() {
        if (!isAvailable()) return "native unavailable: " + FAILURE;
        return "native " + LEVEL.label() + (FORCED ? " (forced; CPU: " + CPU_LEVEL.label() + ")" : " (CPU's best)")
                + (BF16 && LEVEL == NativeLevel.AVX512VNNI ? ", bf16 dot" : "") + ", " + NativeRepack.describe(LEVEL);
    }

    /** Why the library is not available, or null. */
    public static String unavailableReason() {
        return FAILURE;
    }

    static MethodHandle matmul() {
        return MATMUL;
    }

    static MethodHandle repack() {
        return REPACK;
    }

    static MethodHandle matmulPacked() {
        return MATMUL_PACKED;
    }

    static MethodHandle attentionScores() {
        return ATTN_SCORES;
    }

    static MethodHandle attentionValues() {
        return ATTN_VALUES;
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
