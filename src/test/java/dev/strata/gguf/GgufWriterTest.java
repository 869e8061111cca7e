package dev.strata.gguf;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.SharedData;
import dev.strata.StrataException;
import dev.strata.tensor.quant.GgmlType;
import dev.strata.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GgufWriterTest {
    @TempDir
    Path dir;

    private static Path write(GgufWriter w, Path out) {
        w.write(out);
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 32, 64, 1})
    void roundTripsEveryMetadataTypeAndTensorLayout(int alignment) {
        GgufWriter w = GgufSamples.allMetadataTypes(new GgufWriter());
        if (alignment > 0) w.putU32("general.alignment", alignment);
        Map<String, Tensor> expected = GgufSamples.sampleTensors(w, 42);
        Path out = write(w, dir.resolve("all.gguf"));
        int align = alignment > 0 ? alignment : 32;
        try (GgufFile f = GgufFile.open(out)) {
            assertEquals(3, f.version());
            assertEquals(align, f.alignment());
            GgufSamples.assertSameContent(w.metadata(), expected, f);
            assertEquals(0, f.dataOffset() % align);
            assertEquals(0, f.fileSize() % align, "file ends on an alignment boundary");
            for (Tensor t : f.tensors().values()) {
                assertEquals(0, (t.data().address() - f.mapping().address() - f.dataOffset()) % align, t.name() + " offset aligned");
            }
            assertEquals(4294967295L, f.getLong("test.u32", 0));
            assertEquals(-2L, f.getLong("test.u64_above_long_max", 0));
            assertTrue(Float.isNaN(f.getFloat("test.f32_nan", 0)));
            assertEquals("unicode ✓ and \"quotes\"\nand a newline", f.requireString("general.name"));
            GgufValue nested = f.get("test.arr_nested");
            assertEquals(GgufValueType.ARRAY, nested.elementType());
            assertEquals(GgufValue.strings("x", "y"), ((GgufValue[]) nested.value())[1]);
        }
    }

    @Test
    void paddingBetweenTensorsIsZeroAndLayoutIsCanonical() throws IOException {
        GgufWriter w = new GgufWriter().putU32("general.alignment", 64);
        w.addTensor("a", GgmlType.F32, new long[] {3}, new byte[12]);
        w.addTensor("b", GgmlType.F32, new long[] {1}, new byte[] {1, 2, 3, 4});
        Path out = write(w, dir.resolve("pad.gguf"));
        byte[] bytes = Files.readAllBytes(out);
        try (GgufFile f = GgufFile.open(out)) {
            long b = f.dataOffset() + 64;
            assertEquals(b, f.requireTensor("b").data().address() - f.mapping().address());
            for (long i = f.dataOffset(); i < b; i++) assertEquals(0, bytes[(int) i], "padding byte " + i);
            assertEquals(b + 64, bytes.length);
        }
    }

    @Test
    void tensorSourceStreamsLargeTensorsWithoutHoldingThem() {
        GgufWriter w = new GgufWriter().putString("general.architecture", "streamed");
        int rows = 1024;
        long[] shape = {4096, rows};
        for (int t = 0; t < 3; t++) {
            int tensor = t;
            w.addTensor("blk." + t + ".weight", GgmlType.F32, shape, ch -> {
                ByteBuffer row = ByteBuffer.allocate(4096 * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (int r = 0; r < rows; r++) {
                    row.clear();
                    while (row.hasRemaining()) row.putFloat(tensor * 1_000_000f + r);
                    row.flip();
                    while (row.hasRemaining()) ch.write(row);
                }
            });
        }
        try (GgufFile f = GgufFile.open(write(w, dir.resolve("streamed.gguf")))) {
            Tensor t2 = f.requireTensor("blk.2.weight");
            assertEquals(4096L * rows * 4, t2.data().byteSize());
            assertEquals(2_000_000f + 1023, t2.data().get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, t2.rowOffset(1023) + 8));
        }
    }

    @Test
    void sourceWritingTheWrongByteCountFailsAndLeavesNoFile() {
        GgufWriter w = new GgufWriter();
        w.addTensor("short", GgmlType.F32, new long[] {4}, ch -> ch.write(ByteBuffer.allocate(12)));
        Path out = dir.resolve("bad.gguf");
        StrataException e = assertThrows(StrataException.class, () -> w.write(out));
        assertTrue(e.getMessage().startsWith(out + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("'short' wrote 12 bytes, expected 16"), e.getMessage());
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(dir.resolve("bad.gguf.partial")));
    }

    @Test
    void rejectsDataOfTheWrongSize() {
        GgufWriter w = new GgufWriter();
        StrataException e = assertThrows(StrataException.class, () -> w.addTensor("w", GgmlType.Q4_0, new long[] {64, 2}, new byte[70]));
        assertEquals("gguf writer: tensor 'w' data is 70 bytes, but Q4_0 [64, 2] needs 72", e.getMessage());
    }

    @Test
    void rejectsInvalidTensorDeclarations() {
        GgufWriter w = new GgufWriter();
        w.addTensor("x", GgmlType.F32, new long[] {1}, new byte[4]);
        assertMessage("duplicate tensor 'x'", () -> w.addTensor("x", GgmlType.F32, new long[] {1}, new byte[4]));
        assertMessage("must have 1-4 dimensions, got 5", () -> w.addTensor("y", GgmlType.F32, new long[] {1, 1, 1, 1, 1}, new byte[4]));
        assertMessage("must have 1-4 dimensions, got 0", () -> w.addTensor("y", GgmlType.F32, new long[0], new byte[0]));
        assertMessage("invalid dimension 0", () -> w.addTensor("y", GgmlType.F32, new long[] {4, 0}, new byte[0]));
        assertMessage("not a multiple of the Q8_0 block size 32", () -> w.addTensor("y", GgmlType.Q8_0, new long[] {16}, new byte[17]));
        assertMessage("more than the 63 llama.cpp accepts", () -> w.addTensor("n".repeat(64), GgmlType.F32, new long[] {1}, new byte[4]));
        assertEquals(java.util.List.of("x"), w.tensorNames());
    }

    @Test
    void rejectsMetadataThatCannotBeWrittenAsDeclared() {
        GgufWriter w = new GgufWriter();
        assertMessage("value 256 does not fit in uint8", () -> w.putU8("k", 256));
        assertMessage("value -1 does not fit in uint32", () -> w.putU32("k", -1));
        assertMessage("declared string but its value is a java Integer", () -> w.put("k", GgufValue.of(GgufValueType.STRING, 5)));
        assertMessage("declared int32 but its value is a java Float", () -> w.put("k", GgufValue.of(GgufValueType.INT32, 1.5f)));
        assertMessage("array of uint32 but holds long[]", () -> w.putArray("k", GgufValueType.UINT32, new long[1]));
        assertMessage("holds a null string", () -> w.putStrings("k", "a", null));
        assertMessage("nested element 0 is not an array", () -> w.putArray("k", GgufValueType.ARRAY, new GgufValue[] {GgufValue.u32(1)}));
        assertMessage("general.alignment 48 is not a power of two", () -> w.putU32("general.alignment", 48));
        assertMessage("general.alignment 0 is not a power of two", () -> w.putU32("general.alignment", 0));
        assertMessage("general.alignment must be an unsigned integer", () -> w.putString("general.alignment", "32"));
        assertTrue(w.metadata().isEmpty());
    }

    @Test
    void normalisesScalarsToTheReadersJavaTypes() {
        GgufWriter w = new GgufWriter().put("u32", GgufValue.of(GgufValueType.UINT32, 7)).put("u8", GgufValue.of(GgufValueType.UINT8, (byte) 7));
        assertEquals(GgufValue.u32(7L), w.metadata().get("u32"));
        assertEquals(Integer.valueOf(7), w.metadata().get("u8").value());
    }

    @Test
    void putReplacesValueButKeepsKeyOrder() {
        GgufWriter w = new GgufWriter().putU32("a", 1).putU32("b", 2).putString("a", "again");
        assertEquals(java.util.List.of("a", "b"), w.metadata().keySet().stream().toList());
        assertEquals(GgufValue.string("again"), w.metadata().get("a"));
        w.remove("a");
        assertEquals(java.util.List.of("b"), w.metadata().keySet().stream().toList());
    }

    @Test
    void rewritesAFileOntoItselfWhileItIsMapped() throws IOException {
        Path copy = dir.resolve("stories.gguf");
        Files.copy(SharedData.require(SharedData.model("stories260K-F32.gguf")), copy);
        byte[] original = Files.readAllBytes(copy);
        try (GgufFile f = GgufFile.open(copy)) {
            GgufWriter w = new GgufWriter();
            GgufWriter.copyMetadata(f, w);
            GgufWriter.copyTensors(f, w);
            w.putString("general.name", "renamed");
            w.write(copy);
        }
        try (GgufFile f = GgufFile.open(copy); GgufFile o = GgufFile.parse("original", MemorySegment.ofArray(original))) {
            assertEquals("renamed", f.requireString("general.name"));
            assertEquals(o.tensors().size(), f.tensors().size());
            for (Tensor t : o.tensors().values()) assertEquals(-1, t.data().mismatch(f.requireTensor(t.name()).data()), t.name());
        }
    }

    @Test
    void tensorsOfAClosedFileAreReportedNotCrashed() {
        GgufWriter w = new GgufWriter();
        try (GgufFile f = GgufFile.open(SharedData.require(SharedData.model("stories260K-Q8_0.gguf")))) {
            GgufWriter.copyTensors(f, w);
        }
        Path out = dir.resolve("closed.gguf");
        StrataException e = assertThrows(StrataException.class, () -> w.write(out));
        assertTrue(e.getMessage().contains("is no longer accessible (was its source file closed?)"), e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void writesAnEmptyFile() {
        try (GgufFile f = GgufFile.open(write(new GgufWriter(), dir.resolve("empty.gguf")))) {
            assertTrue(f.metadata().isEmpty());
            assertTrue(f.tensors().isEmpty());
            assertEquals(32, f.fileSize());
        }
    }

    @Test
    void reportsAnUnwritableDestination() {
        Path out = dir.resolve("missing-dir").resolve("x.gguf");
        StrataException e = assertThrows(StrataException.class, () -> new GgufWriter().write(out));
        assertTrue(e.getMessage().startsWith(out + ": cannot write GGUF"), e.getMessage());
    }

    private static void assertMessage(String expectedPart, org.junit.jupiter.api.function.Executable call) {
        StrataException e = assertThrows(StrataException.class, call);
        assertTrue(e.getMessage().contains(expectedPart), () -> "expected '" + expectedPart + "' in: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
