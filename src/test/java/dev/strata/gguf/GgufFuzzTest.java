package dev.strata.gguf;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.*;

import dev.strata.SharedData;
import dev.strata.StrataException;
import dev.strata.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded corruption of real and synthetic GGUF files: every attempt must either parse (and then
 * every tensor slice must be readable) or fail with a one-line StrataException naming the file.
 * Nothing else may escape: no IndexOutOfBounds, no ArithmeticException, no OutOfMemoryError, no hang.
 */
class GgufFuzzTest {
    private static final long[] EXTREME_LONGS = {0, -1, 1, 0x7fff_ffffL, 0xffff_ffffL, 0x8000_0000L, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40, 1L << 62};
    private static final int[] EXTREME_INTS = {0, -1, 1, 2, 4, 5, 13, 0x7fff_ffff, Integer.MIN_VALUE, 0xffff};

    private static byte[] stories;
    private static byte[] synthetic;

    @BeforeAll
    static void load(@TempDir Path dir) throws IOException {
        stories = Files.readAllBytes(SharedData.require(SharedData.model("stories260K-F32.gguf")));
        GgufWriter w = GgufSamples.allMetadataTypes(new GgufWriter()).putU32("general.alignment", 64);
        GgufSamples.sampleTensors(w, 7);
        Path p = dir.resolve("synthetic.gguf");
        w.write(p);
        synthetic = Files.readAllBytes(p);
    }

    /** Outcome of one attempt: whether it parsed. Anything other than a proper StrataException fails the test. */
    private static boolean attempt(String label, MemorySegment bytes, boolean render) {
        try (GgufFile f = GgufFile.parse(label, bytes)) {
            for (Tensor t : f.tensors().values()) {
                assertEquals(t.type().bytesFor(t.elements()), t.data().byteSize(), label + " " + t.name());
                if (t.data().byteSize() > 0) {
                    t.data().get(JAVA_BYTE, 0);
                    t.data().get(JAVA_BYTE, t.data().byteSize() - 1);
                }
            }
            if (render) GgufInspect.render(f);
            return true;
        } catch (StrataException e) {
            String m = e.getMessage();
            assertTrue(m.startsWith(label + ": "), () -> "message does not name the file: " + m);
            assertFalse(m.contains("\n") || m.contains("\r"), () -> "message is not one line: " + m);
            assertTrue(m.length() < 600, () -> "message is " + m.length() + " chars: " + m);
            return false;
        } catch (Throwable t) {
            throw new AssertionError(label + " escaped with " + t, t);
        }
    }

    private static long headerEnd(byte[] file) {
        try (GgufFile f = GgufFile.parse("pristine", MemorySegment.ofArray(file))) {
            return f.headerEnd();
        }
    }

    private static long lastTensorEnd(byte[] file) {
        try (GgufFile f = GgufFile.parse("pristine", MemorySegment.ofArray(file))) {
            long end = 0;
            for (Tensor t : f.tensors().values()) end = Math.max(end, t.data().address() - f.mapping().address() + t.data().byteSize());
            return end;
        }
    }

    @Test
    void truncatingTheSyntheticFileAnywhereFailsCleanly() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> truncations("synthetic.gguf", synthetic, (int) headerEnd(synthetic) + 64, 0, 300));
    }

    @Test
    void truncatingStoriesFailsCleanly() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> truncations("stories260K-F32.gguf", stories, 1024, 1500, 300));
    }

    /**
     * Every length below everyPrefixUpTo, a seeded sample of the rest of the header and of the data
     * region; a prefix too short to hold every tensor must fail, a longer one must parse.
     */
    private static void truncations(String name, byte[] file, int everyPrefixUpTo, int sampledHeader, int sampledData) {
        MemorySegment whole = MemorySegment.ofArray(file);
        long needed = lastTensorEnd(file);
        int header = (int) headerEnd(file);
        Random rnd = new Random(name.hashCode());
        int total = everyPrefixUpTo + sampledHeader + sampledData;
        for (int i = 0; i < total; i++) {
            int len;
            if (i < everyPrefixUpTo) len = i;
            else if (i < everyPrefixUpTo + sampledHeader) len = rnd.nextInt(header);
            else len = header + rnd.nextInt(file.length - header + 1);
            boolean parsed = attempt(name + "[0," + len + ")", whole.asSlice(0, len), i % 50 == 0);
            assertEquals(len >= needed, parsed, () -> name + " truncated to " + len + " bytes (tensors end at " + needed + ")");
        }
    }

    @Test
    void mutatingTheSyntheticFileFailsCleanly() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> mutations("synthetic.gguf", synthetic, 1, 4000));
    }

    @Test
    void mutatingStoriesFailsCleanly() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> mutations("stories260K-F32.gguf", stories, 2, 2500));
    }

    /**
     * Seeded single and multiple mutations, mostly in the header where the structure lives: bit
     * flips, random bytes, and 4/8-byte fields overwritten with extreme values at arbitrary offsets.
     */
    private static void mutations(String name, byte[] pristine, long seed, int count) {
        byte[] work = pristine.clone();
        ByteBuffer le = ByteBuffer.wrap(work).order(ByteOrder.LITTLE_ENDIAN);
        MemorySegment seg = MemorySegment.ofArray(work);
        int header = (int) headerEnd(pristine);
        Random rnd = new Random(seed);
        int parsed = 0;
        for (int m = 0; m < count; m++) {
            int edits = rnd.nextInt(4) == 0 ? 2 + rnd.nextInt(3) : 1;
            StringBuilder what = new StringBuilder();
            int dirtyUpTo = 0;
            for (int e = 0; e < edits; e++) {
                int at = rnd.nextInt(10) < 9 ? rnd.nextInt(header) : rnd.nextInt(work.length);
                what.append(mutate(le, work, at, rnd)).append('@').append(at).append(' ');
                dirtyUpTo = Math.max(dirtyUpTo, Math.min(work.length, at + 8));
            }
            try {
                if (attempt(name + "#" + m, seg, m % 8 == 0)) parsed++;
            } catch (AssertionError e) {
                throw new AssertionError("mutation " + m + " [" + what.toString().trim() + "]: " + e.getMessage(), e);
            }
            System.arraycopy(pristine, 0, work, 0, dirtyUpTo);
        }
        System.out.printf("%s: %d of %d mutations still parsed%n", name, parsed, count);
    }

    private static String mutate(ByteBuffer le, byte[] work, int at, Random rnd) {
        switch (rnd.nextInt(4)) {
            case 0 -> {
                work[at] ^= (byte) (1 << rnd.nextInt(8));
                return "flip";
            }
            case 1 -> {
                work[at] = (byte) rnd.nextInt(256);
                return "byte";
            }
            case 2 -> {
                if (at + 4 > work.length) return "none";
                le.putInt(at, rnd.nextBoolean() ? EXTREME_INTS[rnd.nextInt(EXTREME_INTS.length)] : rnd.nextInt());
                return "int";
            }
            default -> {
                if (at + 8 > work.length) return "none";
                le.putLong(at, rnd.nextBoolean() ? EXTREME_LONGS[rnd.nextInt(EXTREME_LONGS.length)] : rnd.nextLong());
                return "long";
            }
        }
    }
}
