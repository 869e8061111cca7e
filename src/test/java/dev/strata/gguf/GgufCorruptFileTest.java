package dev.strata.gguf;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One hand-built defect per test; the message must name the file and say what is wrong. */
class GgufCorruptFileTest {
    private static final String FILE = "corrupt.gguf";
    private static final int F32 = 0;

    private static void assertRejected(MemorySegment bytes, String... expectedParts) {
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufFile.parse(FILE, bytes).close());
        String m = e.getMessage();
        assertTrue(m.startsWith(FILE + ": "), m);
        assertFalse(m.contains("\n"), m);
        for (String part : expectedParts) assertTrue(m.contains(part), () -> "expected '" + part + "' in: " + m);
    }

    /** A valid v3 file with one F32 [8] tensor, for comparison with the broken variants. */
    private static RawGguf oneTensor(long offset, long... shape) {
        return RawGguf.v3(1, 1).kvString("general.architecture", "test").tensorInfo("w", F32, offset, shape);
    }

    @Test
    void validBaselineParses() {
        try (GgufFile f = GgufFile.parse(FILE, oneTensor(0, 8).data(32, 32).segment())) {
            assertArrayEquals(new long[] {8}, f.requireTensor("w").shape());
        }
    }

    @Test
    void badMagic() {
        byte[] b = oneTensor(0, 8).data(32, 32).bytes();
        b[0] = 'X';
        assertRejected(MemorySegment.ofArray(b), "bad magic 0x46554758", "not a GGUF file");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 4, 1000})
    void unsupportedVersion(int version) {
        byte[] b = oneTensor(0, 8).data(32, 32).bytes();
        b[4] = (byte) version;
        b[5] = (byte) (version >> 8);
        assertRejected(MemorySegment.ofArray(b), "unsupported GGUF version " + version, "supported: 1-3");
    }

    @Test
    void bigEndianFile() {
        byte[] b = oneTensor(0, 8).data(32, 32).bytes();
        b[4] = 0;
        b[7] = 3;
        assertRejected(MemorySegment.ofArray(b), "big-endian GGUF files are not supported");
    }

    @Test
    void fileShorterThanTheMagicAndVersion() {
        assertRejected(MemorySegment.ofArray(new byte[] {'G', 'G', 'U', 'F', 3}), "truncated file: 5 bytes is too short for a GGUF header");
    }

    @Test
    void truncatedHeader() {
        byte[] b = oneTensor(0, 8).bytes();
        assertRejected(MemorySegment.ofArray(Arrays.copyOf(b, b.length - 3)), "truncated file", "runs past the end");
    }

    @Test
    void tensorOffsetOutsideTheFile() {
        assertRejected(oneTensor(1024, 8).data(32, 32).segment(), "tensor 'w' data [", "lies outside the file (");
    }

    @Test
    void tensorOffsetNearLongMaxDoesNotOverflow() {
        assertRejected(oneTensor(Long.MAX_VALUE - 31, 8).data(32, 32).segment(), "tensor 'w'", "outside the file");
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 31, 39, 99, -1})
    void unknownGgmlType(int type) {
        MemorySegment s = RawGguf.v3(1, 0).tensorInfo("w", type, 0, 32).data(32, 128).segment();
        assertRejected(s, "unknown GGML type " + type + " for tensor 'w'");
    }

    @Test
    void unknownMetadataValueType() {
        MemorySegment s = RawGguf.v3(0, 1).str("general.weird").u32(13).u32(0).segment();
        assertRejected(s, "unknown metadata value type 13 for key 'general.weird'");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5, -1})
    void tensorDimensionCountOutOfRange(int nDims) {
        MemorySegment s = RawGguf.v3(1, 0).str("w").u32(nDims).u64(8).u32(F32).u64(0).data(32, 64).segment();
        assertRejected(s, "tensor 'w' has " + nDims + " dimensions (expected 1-4)");
    }

    @Test
    void zeroSizedDimension() {
        assertRejected(oneTensor(0, 8, 0).data(32, 32).segment(), "tensor 'w' has invalid dimension 0 in shape [8, 0]");
    }

    @Test
    void shapeWhoseElementCountOverflowsALong() {
        assertRejected(oneTensor(0, 1L << 40, 1L << 40).data(32, 32).segment(), "tensor 'w' shape [1099511627776, 1099511627776] is implausibly large");
    }

    @Test
    void rowNotAMultipleOfTheBlockSize() {
        assertRejected(RawGguf.v3(1, 0).tensorInfo("q", 2, 0, 30).data(32, 32).segment(), "row of 30 is not a multiple of the Q4_0 block size 32");
    }

    @Test
    void stringLengthLargerThanTheFile() {
        MemorySegment s = RawGguf.v3(0, 1).str("general.name").u32(GgufValueType.STRING.id()).u64(1_000_000).segment();
        assertRejected(s, "string value of 'general.name'", "has length 1000000, larger than the 0 bytes left in the file");
    }

    @Test
    void keyLengthLargerThanTheFile() {
        assertRejected(RawGguf.v3(0, 1).u64(-1).segment(), "metadata key 0", "has length 18446744073709551615, larger than");
    }

    @Test
    void hugeArrayCount() {
        MemorySegment s = RawGguf.v3(0, 1).str("tokenizer.ggml.scores").u32(GgufValueType.ARRAY.id())
                .u32(GgufValueType.FLOAT32.id()).u64(1L << 60).segment();
        assertRejected(s, "array 'tokenizer.ggml.scores'", "claims 1152921504606846976 float32 elements", "hold at most 0");
    }

    @Test
    void hugeTensorCount() {
        assertRejected(RawGguf.v3(Long.MAX_VALUE, 0).segment(), "tensor count 9223372036854775807", "implausible");
    }

    @Test
    void misalignedTensorOffset() {
        assertRejected(oneTensor(4, 8).data(32, 64).segment(), "tensor 'w' offset 4 is not aligned to 32");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 48, 100})
    void alignmentThatIsNotAPowerOfTwo(int alignment) {
        MemorySegment s = RawGguf.v3(0, 1).kvU32("general.alignment", alignment).segment();
        assertRejected(s, "general.alignment " + alignment + " is not a power of two");
    }

    @Test
    void alignmentOfTheWrongType() {
        MemorySegment s = RawGguf.v3(0, 1).kvString("general.alignment", "32").segment();
        assertRejected(s, "general.alignment must be an unsigned integer, found string");
    }

    @Test
    void duplicateMetadataKey() {
        MemorySegment s = RawGguf.v3(0, 2).kvU32("a.b", 1).kvU32("a.b", 2).segment();
        assertRejected(s, "duplicate metadata key 'a.b'");
    }

    @Test
    void duplicateTensorName() {
        MemorySegment s = RawGguf.v3(2, 0).tensorInfo("w", F32, 0, 8).tensorInfo("w", F32, 32, 8).data(32, 64).segment();
        assertRejected(s, "duplicate tensor name 'w'");
    }

    @Test
    void arraysNestedTooDeeply() {
        RawGguf r = RawGguf.v3(0, 1).str("deep").u32(GgufValueType.ARRAY.id());
        for (int i = 0; i < 5; i++) r.u32(GgufValueType.ARRAY.id()).u64(1);
        assertRejected(r.u32(0).segment(), "arrays nested more than 4 deep in key 'deep'");
    }

    @Test
    void controlCharactersAndLongNamesStayOnOneShortLine() {
        String name = "evil\nname\r" + "x".repeat(500);
        MemorySegment s = RawGguf.v3(1, 0).tensorInfo(name, 99, 0, 32).data(32, 128).segment();
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufFile.parse(FILE, s));
        assertTrue(e.getMessage().contains("'evil\\nname\\u000dxxx"), e.getMessage());
        assertTrue(e.getMessage().contains("...(510 chars)'"), e.getMessage());
        assertTrue(e.getMessage().length() < 200, e.getMessage());
    }

    @Test
    void version1FilesUse32BitCountsLengthsAndDimensions() {
        MemorySegment s = RawGguf.v1(1, 1).kvString("general.name", "old").tensorInfo("w", F32, 0, 4, 2).data(32, 32).segment();
        try (GgufFile f = GgufFile.parse(FILE, s)) {
            assertEquals(1, f.version());
            assertEquals("old", f.requireString("general.name"));
            assertArrayEquals(new long[] {4, 2}, f.requireTensor("w").shape());
        }
    }

    @Test
    void invalidUtf8InStringsIsTolerated() {
        byte[] key = "k".getBytes(StandardCharsets.UTF_8);
        MemorySegment s = RawGguf.v3(0, 1).u64(key.length).u8(key[0]).u32(GgufValueType.STRING.id()).u64(2).u8(0xff).u8(0xfe).segment();
        try (GgufFile f = GgufFile.parse(FILE, s)) {
            assertEquals(2, f.requireString("k").length());
        }
    }
}
