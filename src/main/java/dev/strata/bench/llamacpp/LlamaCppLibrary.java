package dev.strata.bench.llamacpp;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Downcalls into a prebuilt llama.cpp (libllama + libggml, CPU backends loaded from the same folder),
 * bound once per JVM: the opponent of {@code strata bench --vs-llamacpp} and the tests' second oracle.
 * The folder is {@code --llamacpp-dir}, else {@code -Dstrata.llamacpp.dir}, else
 * {@code $STRATA_LLAMACPP_DIR}, else {@code target/llamacpp-npm/package/bins/linux-x64} next to the
 * working directory or to the jar, where the pom unpacks the npm package {@code @node-llama-cpp/linux-x64}
 * (every CPU variant of ggml's CPU backend). Nothing is downloaded at run time.
 *
 * <p>The two parameter structs are passed as opaque blobs: their defaults come from llama.cpp itself
 * and only fields whose place we can check are written (see {@link LlamaCppContext}). Structs larger than
 * 16 bytes travel in memory on x86-64 SysV, so a blob larger than the real struct is harmless.
 */
public final class LlamaCppLibrary {
    /** Which CPU backend variant to load. */
    public enum Variant {
        /** AVX2/FMA/F16C ("haswell"), the instruction set that wrote the shared oracle files; else the best. */
        ORACLE,
        /** The variant ggml scores best for this CPU (zen4, icelake, sapphirerapids, ...): the fair opponent. */
        BEST
    }

    /** "oracle" forces {@link Variant#ORACLE} for every caller (surefire sets it). */
    public static final String VARIANT_PROPERTY = "strata.llamacpp.variant";
    public static final String DIR_PROPERTY = "strata.llamacpp.dir";
    /** Larger than llama_model_params (72 bytes) and llama_context_params (~160 bytes) of any recent llama.cpp. */
    static final long PARAMS_BYTES = 512;
    static final StructLayout PARAMS = MemoryLayout.structLayout(MemoryLayout.sequenceLayout(PARAMS_BYTES / 8, ValueLayout.JAVA_LONG));
    static final StructLayout BATCH = MemoryLayout.structLayout(JAVA_INT.withName("n_tokens"), MemoryLayout.paddingLayout(4),
            ADDRESS.withName("token"), ADDRESS.withName("embd"), ADDRESS.withName("pos"), ADDRESS.withName("n_seq_id"),
            ADDRESS.withName("seq_id"), ADDRESS.withName("logits"));

    private static LlamaCppLibrary instance;
    private static String unavailable;
    private static IllegalStateException failure;
    private static volatile boolean echoLog;

    final Path dir;
    private String cpuBackend;
    final MethodHandle modelDefaultParams, modelLoad, modelFree, contextDefaultParams, initFromModel, free;
    final MethodHandle modelGetVocab, vocabNTokens, decode, getLogitsIth, getMemory, memoryClear;
    final MethodHandle setNThreads, nThreads, nCtx, tokenize, tokenToPiece;
    private static final StringBuilder LOG = new StringBuilder();

    private LlamaCppLibrary(Path dir, Variant variant) {
        this.dir = dir;
        Linker linker = Linker.nativeLinker();
        SymbolLookup ggml = SymbolLookup.libraryLookup(library(dir, "libggml"), Arena.global());
        SymbolLookup llama = SymbolLookup.libraryLookup(library(dir, "libllama"), Arena.global());
        MethodHandle logSet = bind(linker, llama, "llama_log_set", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        try {
            MethodHandle sink = MethodHandles.lookup().findStatic(LlamaCppLibrary.class, "log",
                    MethodType.methodType(void.class, int.class, MemorySegment.class, MemorySegment.class));
            MemorySegment stub = linker.upcallStub(sink, FunctionDescriptor.ofVoid(JAVA_INT, ADDRESS, ADDRESS), Arena.global());
            logSet.invokeExact(stub, MemorySegment.NULL);
            loadCpuBackend(linker, ggml, dir, variant);
            bind(linker, llama, "llama_backend_init", FunctionDescriptor.ofVoid()).invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("llama.cpp initialisation failed", t);
        }
        modelDefaultParams = bind(linker, llama, "llama_model_default_params", FunctionDescriptor.of(PARAMS));
        modelLoad = bind(linker, llama, "llama_model_load_from_file", FunctionDescriptor.of(ADDRESS, ADDRESS, PARAMS));
        modelFree = bind(linker, llama, "llama_model_free", FunctionDescriptor.ofVoid(ADDRESS));
        contextDefaultParams = bind(linker, llama, "llama_context_default_params", FunctionDescriptor.of(PARAMS));
        initFromModel = bind(linker, llama, "llama_init_from_model", FunctionDescriptor.of(ADDRESS, ADDRESS, PARAMS));
        free = bind(linker, llama, "llama_free", FunctionDescriptor.ofVoid(ADDRESS));
        modelGetVocab = bind(linker, llama, "llama_model_get_vocab", FunctionDescriptor.of(ADDRESS, ADDRESS));
        vocabNTokens = bind(linker, llama, "llama_vocab_n_tokens", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        decode = bind(linker, llama, "llama_decode", FunctionDescriptor.of(JAVA_INT, ADDRESS, BATCH));
        getLogitsIth = bind(linker, llama, "llama_get_logits_ith", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        getMemory = bind(linker, llama, "llama_get_memory", FunctionDescriptor.of(ADDRESS, ADDRESS));
        memoryClear = bind(linker, llama, "llama_memory_clear", FunctionDescriptor.ofVoid(ADDRESS, JAVA_BOOLEAN));
        setNThreads = bind(linker, llama, "llama_set_n_threads", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT));
        nThreads = bind(linker, llama, "llama_n_threads", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        nCtx = bind(linker, llama, "llama_n_ctx", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        tokenize = bind(linker, llama, "llama_tokenize",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_BOOLEAN, JAVA_BOOLEAN));
        tokenToPiece = bind(linker, llama, "llama_token_to_piece",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_BOOLEAN));
    }

    /**
     * ORACLE: the haswell variant when this CPU can run it, so results do not depend on the machine's
     * AVX-512. BEST: each libggml-cpu-*.so is asked for its ggml_backend_score on this CPU (0: cannot
     * run), as ggml_backend_load_all does, and the highest is loaded. Its name is kept in {@link #cpuBackend}.
     */
    private void loadCpuBackend(Linker linker, SymbolLookup ggml, Path dir, Variant variant) throws Throwable {
        MethodHandle load = bind(linker, ggml, "ggml_backend_load", FunctionDescriptor.of(ADDRESS, ADDRESS));
        Path chosen = variant == Variant.ORACLE && Files.exists(dir.resolve("libggml-cpu-haswell.so"))
                && score(linker, dir.resolve("libggml-cpu-haswell.so")) > 0 ? dir.resolve("libggml-cpu-haswell.so") : bestVariant(linker, dir);
        if (chosen == null) throw new IllegalStateException("no libggml-cpu-*.so in " + dir + " runs on this CPU");
        MemorySegment reg = (MemorySegment) load.invokeExact(Arena.global().allocateFrom(chosen.toString()));
        if (reg.equals(MemorySegment.NULL)) throw new IllegalStateException("ggml_backend_load failed for " + chosen);
        cpuBackend = chosen.getFileName().toString().replaceFirst("^libggml-cpu-", "").replaceFirst("\\.so$", "");
    }

    private static Path bestVariant(Linker linker, Path dir) throws IOException {
        Path best = null;
        int bestScore = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("libggml-cpu-.*\\.so")).sorted().toList()) {
                int s = score(linker, f);
                if (s > bestScore) {
                    bestScore = s;
                    best = f;
                }
            }
        }
        return best;
    }

    /** ggml_backend_score of one variant library, loaded and unloaded again; 0 when it cannot run here. */
    private static int score(Linker linker, Path variant) {
        try (Arena a = Arena.ofConfined()) {
            SymbolLookup lib = SymbolLookup.libraryLookup(variant, a);
            MemorySegment fn = lib.find("ggml_backend_score").orElse(null);
            return fn == null ? 0 : (int) linker.downcallHandle(fn, FunctionDescriptor.of(JAVA_INT)).invokeExact();
        } catch (Throwable t) {
            return 0;
        }
    }

    /** The CPU backend variant llama.cpp runs on, e.g. "zen4" or "haswell". */
    public String cpuBackend() {
        return cpuBackend;
    }

    /**
     * The bound library, or null with {@link #unavailableReason()} set when it is not there to load.
     * The first call in a JVM fixes the folder and the variant; later calls get that library.
     */
    public static synchronized LlamaCppLibrary get(Path dir, Variant variant) {
        if (failure != null) throw failure;
        if (instance != null || unavailable != null) return instance;
        if (dir == null) dir = locate();
        // the test JVM sets oracle, so a bench test cannot load another variant under the oracle tests
        if ("oracle".equalsIgnoreCase(System.getProperty(VARIANT_PROPERTY))) variant = Variant.ORACLE;
        if (!System.getProperty("os.name", "").startsWith("Linux") || !System.getProperty("os.arch", "").equals("amd64")) {
            unavailable = "the prebuilt llama.cpp is Linux x86-64 only";
        } else if (!Files.isDirectory(dir) || !Files.exists(dir.resolve("libggml-base.so"))) {
            unavailable = "llama.cpp libraries not found at " + dir + " (mvn fetches them into target/llamacpp-npm; or pass --llamacpp-dir / -D" + DIR_PROPERTY + ")";
        } else {
            try {
                instance = new LlamaCppLibrary(dir, variant);
            } catch (RuntimeException e) {
                failure = new IllegalStateException("llama.cpp at " + dir + " is there but does not load: " + e.getMessage(), e);
                throw failure; // present but unloadable fails loudly rather than skipping
            }
        }
        return instance;
    }

    /** The library from the default folder with the oracle variant (what the tests use). */
    public static LlamaCppLibrary get() {
        return get(null, Variant.ORACLE);
    }

    /** Prints llama.cpp's log to stderr as it comes (bench --verbose); otherwise it is only kept. */
    public static void echoLog(boolean echo) {
        echoLog = echo;
    }

    public static synchronized String unavailableReason() {
        return unavailable;
    }

    private static Path locate() {
        String p = System.getProperty(DIR_PROPERTY);
        if (p == null || p.isBlank()) p = System.getenv("STRATA_LLAMACPP_DIR");
        if (p != null && !p.isBlank()) return Path.of(p).toAbsolutePath().normalize();
        Path rel = Path.of("llamacpp-npm", "package", "bins", "linux-x64");
        Path cwd = Path.of("target").resolve(rel).toAbsolutePath().normalize();
        if (Files.isDirectory(cwd)) return cwd;
        try { // strata.jar sits in target/, beside llamacpp-npm/
            Path jar = Path.of(LlamaCppLibrary.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path besideJar = (Files.isDirectory(jar) ? jar.getParent() : jar.getParent()).resolve(rel).normalize();
            if (Files.isDirectory(besideJar)) return besideJar;
        } catch (Exception | Error e) {
            // no code source (unusual class loader): the working-directory path is reported below
        }
        return cwd;
    }

    /** libllama.so or a versioned libllama.vX.Y.Z.so, not libllama-common.so. */
    private static Path library(Path dir, String stem) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> {
                String n = f.getFileName().toString();
                return n.equals(stem + ".so") || (n.startsWith(stem + ".") && n.endsWith(".so"));
            }).findFirst().orElseThrow(() -> new IllegalStateException("no " + stem + "*.so in " + dir));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir, e);
        }
    }

    private static MethodHandle bind(Linker linker, SymbolLookup lib, String name, FunctionDescriptor fd) {
        return linker.downcallHandle(lib.find(name).orElseThrow(() -> new IllegalStateException("missing symbol " + name)), fd);
    }

    /** llama.cpp's log callback: kept (printed only with {@link #echoLog}) so callers can read what it reported. */
    private static void log(int level, MemorySegment text, MemorySegment userData) {
        String s = text.reinterpret(Long.MAX_VALUE).getString(0);
        if (echoLog) System.err.print(s);
        synchronized (LOG) {
            if (LOG.length() > 1 << 20) LOG.setLength(0);
            LOG.append(s);
        }
    }

    /** Everything llama.cpp logged since the last call. */
    public static String drainLog() {
        synchronized (LOG) {
            String s = LOG.toString();
            LOG.setLength(0);
            return s;
        }
    }
}
