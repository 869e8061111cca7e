package dev.strata.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.SharedData;
import dev.strata.tensor.Kernels;
import dev.strata.tensor.NativeKernels;
import dev.strata.tensor.NativeLibrary;
import dev.strata.tensor.NativeRepack;
import dev.strata.tensor.Tensor;
import dev.strata.tensor.quant.GgmlType;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The mapped store hands native kernels a repacked copy of each Q8_0 matmul weight and leaves the
 * original bytes as the file has them; other kernels, and the switch, get the plain tensor.
 */
class RepackedWeightsTest {
    private static final Path MODEL = SharedData.model("stories260K-Q8_0.gguf");

    @Test
    void nativeKernelsGetACopyAndTheOriginalBytesStayTheFilesBytes() throws Exception {
        assumeTrue(NativeLibrary.isAvailable(), "libstrata not available: " + NativeLibrary.unavailableReason());
        NativeKernels nat = new NativeKernels();
        assumeTrue(NativeRepack.supports(GgmlType.Q8_0, nat.level()), "no repacked Q8_0 at " + nat.level().label());
        byte[] file = Files.readAllBytes(MODEL);
        try (Model m = Model.load(MODEL, nat)) {
            Tensor wq = m.layer(0).wq();
            assertNotNull(wq.packed(), "attn_q not repacked");
            assertEquals((wq.rows() + 15) / 16 * 16 * wq.rowBytes(), wq.packed().byteSize());
            long start = wq.data().address() - m.store().file().mapping().address();
            byte[] original = wq.data().toArray(ValueLayout.JAVA_BYTE);
            byte[] inFile = java.util.Arrays.copyOfRange(file, (int) start, (int) start + original.length);
            assertArrayEquals(inFile, original, "the original layout must read as the file's bytes after the copy");
        }
    }

    @Test
    void panamaAndTheSwitchGetThePlainTensor() {
        try (Model m = Model.load(MODEL, Kernels.select("panama"))) {
            assertNull(m.layer(0).wq().packed());
        }
        assumeTrue(NativeLibrary.isAvailable(), "libstrata not available: " + NativeLibrary.unavailableReason());
        System.setProperty("strata.repack", "0");
        try (Model m = Model.load(MODEL, new NativeKernels())) {
            assertNull(m.layer(0).wq().packed());
        } finally {
            System.clearProperty("strata.repack");
        }
    }
}
