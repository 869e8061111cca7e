package dev.strata.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import dev.strata.tensor.quant.Activations;
import dev.strata.tensor.quant.GgmlType;

class KernelsTest {

    @Test
    void selectsProvidersByName() {
        assertEquals("scalar", Kernels.select("scalar").name());
        assertEquals("panama", Kernels.select("panama").name());
        boolean nativeAuto = NativeLibrary.hasAvx2() || (NativeLibrary.isAvailable() && NativeLibrary.levelForced());
        assertEquals(nativeAuto ? "native" : "panama", Kernels.select("auto").name());
        assertEquals("panama", Kernels.select("Panama").name());
    }

    @Test
    void unknownNameListsTheValidOnesOnOneLine() {
        StrataException e = assertThrows(StrataException.class, () -> Kernels.select("cuda"));
        assertTrue(e.getMessage().contains("'cuda'") && e.getMessage().contains("scalar, panama, native, auto"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void vecDotTypesFollowLlamaCpp() {
        assertEquals(GgmlType.Q8_0, Kernels.vecDotType(GgmlType.Q4_0));
        assertEquals(GgmlType.Q8_0, Kernels.vecDotType(GgmlType.Q5_0));
        assertEquals(GgmlType.Q8_1, Kernels.vecDotType(GgmlType.Q5_1));
        assertEquals(GgmlType.Q8_K, Kernels.vecDotType(GgmlType.Q6_K));
        assertEquals(GgmlType.BF16, Kernels.vecDotType(GgmlType.BF16));
        assertThrows(StrataException.class, () -> Kernels.vecDotType(GgmlType.IQ2_XS));
    }

    @Test
    void preparedActivationsHaveTheDocumentedLayout() {
        float[] x = TestTensors.gaussian(new Random(1), 512 * 2, 1f);
        Activations q8k = Kernels.select("scalar").prepare(GgmlType.Q4_K, x, 2, 512);
        assertEquals(GgmlType.Q8_K, q8k.dotType);
        assertEquals(4, q8k.d.length);
        assertEquals(64, q8k.bsums.length);
        int sum = 0;
        for (int i = 256; i < 272; i++) sum += q8k.q[i];
        assertEquals(sum, q8k.bsums[16]);

        Activations q81 = Kernels.select("scalar").prepare(GgmlType.Q4_1, x, 2, 512);
        assertEquals(32, q81.d.length);
        assertEquals(Kernels.fp16Round(q81.s[3]), q81.s[3]);
        Activations f16 = Kernels.select("scalar").prepare(GgmlType.F16, x, 2, 512);
        assertEquals(Kernels.fp16Round(x[7]), f16.f[7]);
        Activations bf16 = Kernels.select("scalar").prepare(GgmlType.BF16, x, 2, 512);
        assertEquals(Kernels.bf16Round(x[7]), bf16.f[7]);
    }

    @Test
    void matmulRejectsMismatchedInputs() {
        KernelProvider k = Kernels.select("panama");
        Tensor w = TestTensors.quantized("w", GgmlType.Q4_0, new float[64 * 2], 64, 2);
        Activations wrongType = k.prepare(GgmlType.F32, new float[64], 1, 64);
        assertThrows(StrataException.class, () -> k.matmul(w, wrongType, new float[2], 2, 0, 2));
        Activations wrongWidth = k.prepare(GgmlType.Q4_0, new float[96], 1, 96);
        assertThrows(StrataException.class, () -> k.matmul(w, wrongWidth, new float[2], 2, 0, 2));
        Activations ok = k.prepare(GgmlType.Q4_0, new float[64], 1, 64);
        assertThrows(StrataException.class, () -> k.matmul(w, ok, new float[2], 2, 0, 3));
        assertThrows(StrataException.class, () -> k.prepare(GgmlType.Q4_0, new float[40], 1, 40));
    }
}
