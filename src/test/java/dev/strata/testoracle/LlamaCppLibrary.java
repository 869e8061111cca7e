package dev.strata.testoracle;

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
 * bound once per JVM. The folder is {@code -Dstrata.llamacpp.dir}, else {@code $STRATA_LLAMACPP_DIR},
 * else {@code target/llamacpp-npm/package/bins/linux-x64} where the pom's test-resources step unpacks
 * the npm package {@code @node-llama-cpp/linux-x64}.
 *
 * <p>The two parameter structs are passed as opaque blobs: their defaults come from llama.cpp itself
 * and only fields whose place we can check are written (see {@link LlamaCppNative}). Structs larger than
 * 16 bytes travel in memory on x86-64 SysV, so a blob larger than the real struct is harmless.
 */
final class LlamaCppLibrary {
    static final String DIR_PROPERTY = "strata.llamacpp.dir";
    /** Larger than llama_model_params (72 bytes) and llama_context_params (~160 bytes) of any recent llama.cpp. */
    static final long PARAMS_BYTES = 512;
    static final StructLayout PARAMS = MemoryLayout.structLayout(MemoryLayout.sequenceLayout(PARAMS_BYTES / 8, ValueLayout.JAVA_LONG));
    static final StructLayout BATCH = MemoryLayout.structLayout(JAVA_INT.withName("n_tokens"), MemoryLayout.paddingLayout(4),
            ADDRESS.withName("token"), ADDRESS.withName("embd"), ADDRESS.withName("pos"), ADDRESS.withName("n_seq_id"),
            ADDRESS.withName("seq_id"), ADDRESS.withName("logits"));

    private static LlamaCppLibrary instance;
    private static String unavailable;
    private static IllegalStateException failure;

    final Path dir;
    String cpuBackend;
    final MethodHandle modelDefaultParams, modelLoad, modelFree, contextDefaultParams, initFromModel, free;
    final MethodHandle modelGetVocab, vocabNTokens, decode, getLogitsIth, getMemory, memoryClear;
    final MethodHandle setNThreads, nThreads, nCtx, tokenize, tokenToPiece;
    private static final StringBuilder LOG = new StringBuilder();

    private LlamaCppLibrary(Path dir) {
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
            loadCpuBackend(linker, ggml, dir);
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
     * The AVX2/FMA/F16C ("haswell") CPU backend when this CPU can run it: the instruction set of the build
     * that wrote the shared oracle files, so results do not depend on the test machine's AVX-512. Else
     * whichever variant ggml scores best here. The variant loaded is kept in {@link #cpuBackend}.
     */
    private void loadCpuBackend(Linker linker, SymbolLookup ggml, Path dir) throws Throwable {
        MethodHandle load = bind(linker, ggml, "ggml_backend_load", FunctionDescriptor.of(ADDRESS, ADDRESS));
        Path haswell = dir.resolve("libggml-cpu-haswell.so");
        if (Files.exists(haswell)) {
            MemorySegment reg = (MemorySegment) load.invokeExact(Arena.global().allocateFrom(haswell.toString()));
            if (!reg.equals(MemorySegment.NULL)) {
                cpuBackend = "haswell";
                return;
            }
        }
        MethodHandle loadAll = bind(linker, ggml, "ggml_backend_load_all_from_path", FunctionDescriptor.ofVoid(ADDRESS));
        loadAll.invokeExact(Arena.global().allocateFrom(dir.toString()));
        cpuBackend = "best of " + dir;
    }

    /** The bound library, or null with {@link #unavailableReason()} set when it is not there to load. */
    static synchronized LlamaCppLibrary get() {
        if (failure != null) throw failure;
        if (instance != null || unavailable != null) return instance;
        Path dir = locate();
        if (!System.getProperty("os.name", "").startsWith("Linux") || !System.getProperty("os.arch", "").equals("amd64")) {
            unavailable = "the prebuilt llama.cpp oracle is Linux x86-64 only";
        } else if (!Files.isDirectory(dir) || !Files.exists(dir.resolve("libggml-base.so"))) {
            unavailable = "llama.cpp libraries not found at " + dir + " (the pom fetches them with npm; set -D" + DIR_PROPERTY + ")";
        } else {
            try {
                instance = new LlamaCppLibrary(dir);
            } catch (RuntimeException e) {
                failure = new IllegalStateException("llama.cpp at " + dir + " is there but does not load: " + e.getMessage(), e);
                throw failure; // present but unloadable fails the tests rather than skipping them
            }
        }
        return instance;
    }

    static synchronized String unavailableReason() {
        return unavailable;
    }

    private static Path locate() {
        String p = System.getProperty(DIR_PROPERTY);
        if (p == null || p.isBlank()) p = System.getenv("STRATA_LLAMACPP_DIR");
        if (p == null || p.isBlank()) p = "target/llamacpp-npm/package/bins/linux-x64";
        return Path.of(p).toAbsolutePath().normalize();
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

    /** llama.cpp's log callback: kept (not printed) so tests can read what the library reported. */
    private static void log(int level, MemorySegment text, MemorySegment userData) {
        String s = text.reinterpret(Long.MAX_VALUE).getString(0);
        synchronized (LOG) {
            if (LOG.length() > 1 << 20) LOG.setLength(0);
            LOG.append(s);
        }
    }

    /** Everything llama.cpp logged since the last call. */
    static String drainLog() {
        synchronized (LOG) {
            String s = LOG.toString();
            LOG.setLength(0);
            return s;
        }
    }
}
