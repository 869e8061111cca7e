package dev.strata.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tensor.quant.GgmlType;
import dev.strata.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Synthetic GGUF content shared by the writer, rewrite and fuzz tests. */
final class GgufSamples {
    private GgufSamples() {}

    /** One key per scalar type, one array per element type, nested arrays, and edge values. */
    static GgufWriter allMetadataTypes(GgufWriter w) {
        w.putString("general.architecture", "synthetic")
                .putString("general.name", "unicode ✓ and \"quotes\"\nand a newline")
                .putString("test.empty_string", "")
                .putU8("test.u8", 255)
                .putI8("test.i8", (byte) -128)
                .putU16("test.u16", 65535)
                .putI16("test.i16", (short) -32768)
                .putU32("test.u32", 0xffff_ffffL)
                .putI32("test.i32", Integer.MIN_VALUE)
                .putF32("test.f32", 1.5e-5f)
                .putF32("test.f32_nan", Float.NaN)
                .putBool("test.bool_true", true)
                .putBool("test.bool_false", false)
                .putU64("test.u64_above_long_max", -2L)
                .putI64("test.i64", Long.MIN_VALUE)
                .putF64("test.f64", -Math.PI)
                .putArray("test.arr_u8", GgufValueType.UINT8, new byte[] {0, 1, (byte) 255})
                .putArray("test.arr_i8", GgufValueType.INT8, new byte[] {-128, 0, 127})
                .putArray("test.arr_u16", GgufValueType.UINT16, new short[] {0, (short) 65535})
                .putArray("test.arr_i16", GgufValueType.INT16, new short[] {-32768, 32767})
                .putArray("test.arr_u32", GgufValueType.UINT32, new int[] {0, -1, 7})
                .putArray("test.arr_i32", GgufValueType.INT32, new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE})
                .putArray("test.arr_f32", GgufValueType.FLOAT32, new float[] {-0.0f, Float.POSITIVE_INFINITY, 3.25f})
                .putArray("test.arr_bool", GgufValueType.BOOL, new boolean[] {true, false, true})
                .putArray("test.arr_u64", GgufValueType.UINT64, new long[] {-1L, 0, 1})
                .putArray("test.arr_i64", GgufValueType.INT64, new long[] {Long.MIN_VALUE, Long.MAX_VALUE})
                .putArray("test.arr_f64", GgufValueType.FLOAT64, new double[] {Double.MIN_VALUE, 1e300})
                .putStrings("test.arr_string", "a", "", "ünï", "line\nbreak")
                .putArray("test.arr_empty", GgufValueType.INT32, new int[0])
                .putArray("test.arr_nested", GgufValueType.ARRAY, new GgufValue[] {
                        GgufValue.array(GgufValueType.INT32, new int[] {1, 2, 3}),
                        GgufValue.strings("x", "y"),
                        GgufValue.array(GgufValueType.ARRAY, new GgufValue[] {GgufValue.array(GgufValueType.FLOAT64, new double[] {0.5})}),
                });
        return w;
    }

    /**
     * Adds tensors of several types and ranks with seeded random bytes (sizes chosen to need
     * padding) and returns them as the expected content.
     */
    static Map<String, Tensor> sampleTensors(GgufWriter w, long seed) {
        Random rnd = new Random(seed);
        Map<String, Tensor> added = new LinkedHashMap<>();
        add(w, added, rnd, "f32.vector", GgmlType.F32, 3);
        add(w, added, rnd, "f16.matrix", GgmlType.F16, 5, 3);
        add(w, added, rnd, "q4_0.matrix", GgmlType.Q4_0, 64, 3);
        add(w, added, rnd, "q8_0.cube", GgmlType.Q8_0, 32, 2, 3);
        add(w, added, rnd, "q4_k.matrix", GgmlType.Q4_K, 256, 2);
        add(w, added, rnd, "q6_k.4d", GgmlType.Q6_K, 256, 1, 2, 1);
        add(w, added, rnd, "bf16.odd", GgmlType.BF16, 7);
        add(w, added, rnd, "i8.bytes", GgmlType.I8, 1);
        return added;
    }

    private static void add(GgufWriter w, Map<String, Tensor> added, Random rnd, String name, GgmlType type, long... shape) {
        long n = 1;
        for (long d : shape) n *= d;
        byte[] data = new byte[(int) type.bytesFor(n)];
        rnd.nextBytes(data);
        w.addTensor(name, type, shape, data);
        added.put(name, new Tensor(name, type, shape, MemorySegment.ofArray(data)));
    }

    static void assertSameContent(Map<String, GgufValue> expectedMetadata, Map<String, Tensor> expectedTensors, GgufFile actual) {
        assertEquals(expectedMetadata.keySet().stream().toList(), actual.metadata().keySet().stream().toList(), "metadata keys and order");
        for (var e : expectedMetadata.entrySet()) assertEquals(e.getValue(), actual.get(e.getKey()), "metadata " + e.getKey());
        assertEquals(expectedTensors.keySet().stream().toList(), actual.tensors().keySet().stream().toList(), "tensor names and order");
        for (Tensor want : expectedTensors.values()) {
            Tensor got = actual.requireTensor(want.name());
            assertEquals(want.type(), got.type(), want.name());
            assertEquals(java.util.Arrays.toString(want.shape()), java.util.Arrays.toString(got.shape()), want.name());
            assertEquals(-1, want.data().mismatch(got.data()), "tensor bytes of " + want.name());
            assertTrue(got.data().byteSize() == want.data().byteSize());
        }
    }

    static MemorySegment segment(byte[] bytes) {
        return MemorySegment.ofArray(bytes);
    }
}
