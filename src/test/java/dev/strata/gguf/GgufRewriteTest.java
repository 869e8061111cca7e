package dev.strata.gguf;

import static org.junit.jupiter.api.Assertions.*;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.strata.SharedData;
import dev.strata.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shared model, copied through GgufWriter, must read back the same; canonical files must come back byte-identical. */
class GgufRewriteTest {
    @TempDir
    Path dir;

    static Stream<String> models() throws IOException {
        try (Stream<Path> files = Files.list(SharedData.dir().resolve("models"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".gguf")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void rewriteReadsBackIdentically(String model) throws IOException {
        Path original = SharedData.model(model);
        Path copy = dir.resolve(model);
        boolean canonical;
        try (GgufFile in = GgufFile.open(original)) {
            canonical = hasCanonicalLayout(in);
            GgufWriter w = new GgufWriter();
            GgufWriter.copyMetadata(in, w);
            GgufWriter.copyTensors(in, w);
            w.write(copy);
            try (GgufFile out = GgufFile.open(copy)) {
                GgufSamples.assertSameContent(in.metadata(), in.tensors(), out);
                assertEquals(in.alignment(), out.alignment());
                assertEquals(in.dataOffset(), out.dataOffset(), "same header size");
            }
        }
        long mismatch = Files.mismatch(original, copy);
        System.out.printf("%s: layout %s, rewrite %s%n", model, canonical ? "canonical" : "non-canonical",
                mismatch == -1 ? "byte-identical" : "differs from byte " + mismatch);
        if (canonical) assertEquals(-1, mismatch, model + " has a canonical layout, so its rewrite must be byte-identical");
    }

    /**
     * Canonical = what llama.cpp and gguf-py write: v3, tensors stored in info order, each at the
     * previous one's end rounded up to the alignment, zero padding, and the file ending on an
     * alignment boundary after the last tensor.
     */
    static boolean hasCanonicalLayout(GgufFile f) {
        if (f.version() != 3) return false;
        long expected = f.dataOffset();
        for (Tensor t : f.tensors().values()) {
            long start = t.data().address() - f.mapping().address();
            if (start != expected) return false;
            expected = GgufWriter.alignUp(start + t.data().byteSize(), f.alignment());
        }
        return expected == f.fileSize() && allZeroPadding(f);
    }

    private static boolean allZeroPadding(GgufFile f) {
        long pos = f.headerEnd();
        for (Tensor t : f.tensors().values()) {
            long start = t.data().address() - f.mapping().address();
            for (long i = pos; i < start; i++) if (f.mapping().get(JAVA_BYTE, i) != 0) return false;
            pos = start + t.data().byteSize();
        }
        for (long i = pos; i < f.fileSize(); i++) if (f.mapping().get(JAVA_BYTE, i) != 0) return false;
        return true;
    }
}
