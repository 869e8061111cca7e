package dev.strata.weights;

import dev.strata.StrataException;
import dev.strata.SharedData;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both expert-file readers against plain RandomAccessFile reads of the same bytes. */
class ExpertFileTest {
    static final Path FILE = SharedData.model("mixtral-tiny-random-F16.gguf");

    @Test
    void bufferedReadsWithRandomAdviceGoThroughLibcOnLinux() throws Exception {
        try (ExpertFile f = ExpertFile.open(FILE, "fixture", false, ReadAdvice.RANDOM)) {
            if (System.getProperty("os.name").toLowerCase().contains("linux")) assertInstanceOf(PosixFile.class, f);
            assertSameBytes(f);
        }
    }

    @Test
    void normalAdviceAndDirectIoUseTheChannel() throws Exception {
        try (ExpertFile f = ExpertFile.open(FILE, "fixture", false, ReadAdvice.NORMAL)) {
            assertTrue(!(f instanceof PosixFile));
            assertSameBytes(f);
        }
    }

    @Test
    void readsAtAndPastTheEndReturnWhatIsThere() throws Exception {
        long size = Files.size(FILE);
        try (ExpertFile f = ExpertFile.open(FILE, "fixture", false, ReadAdvice.RANDOM); Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(4096);
            assertEquals(100, f.read(dst, size - 100));
            assertEquals(0, f.read(dst, size));
        }
    }

    @Test
    void unknownAdviceAndMissingFileAreOneLineErrors() {
        StrataException e = assertThrows(StrataException.class, () -> ReadAdvice.parse("sequential"));
        assertEquals("unknown read advice 'sequential' (use random or normal)", e.getMessage());
        StrataException missing = assertThrows(StrataException.class,
                () -> ExpertFile.open(Path.of("/nonexistent/x.gguf"), "x.gguf", false, ReadAdvice.RANDOM));
        assertTrue(missing.getMessage().startsWith("x.gguf: cannot open for reads"), missing.getMessage());
    }

    private static void assertSameBytes(ExpertFile f) throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        long size = Files.size(FILE);
        try (RandomAccessFile raf = new RandomAccessFile(FILE.toFile(), "r"); Arena arena = Arena.ofConfined()) {
            for (int i = 0; i < 50; i++) {
                int len = 1 + random.nextInt(200_000);
                long pos = random.nextLong(size - len);
                MemorySegment dst = arena.allocate(len);
                long n = 0;
                while (n < len) n += f.read(dst.asSlice(n), pos + n);
                byte[] expected = new byte[len];
                raf.seek(pos);
                raf.readFully(expected);
                assertArrayEquals(expected, dst.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), "read at " + pos);
            }
        }
    }
}
