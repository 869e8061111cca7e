package dev.strata.gguf;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.SharedData;
import dev.strata.StrataException;
import dev.strata.tensor.Tensor;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** --no-mmap reads the same bytes into private memory; --mlock locks them or says why it cannot. */
class GgufLoadOptionsTest {
    private static final Path MODEL = SharedData.model("stories260K-Q8_0.gguf");

    @Test
    void readIntoMemoryHoldsExactlyTheMappedBytes() {
        try (GgufFile mapped = GgufFile.open(SharedData.require(MODEL));
             GgufFile read = GgufFile.open(MODEL, new LoadOptions(false, false))) {
            assertTrue(mapped.isMapped());
            assertFalse(read.isMapped());
            assertEquals(-1, mapped.mapping().mismatch(read.mapping()));
            assertEquals(mapped.metadata().keySet(), read.metadata().keySet());
            for (Tensor t : mapped.tensors().values()) {
                Tensor r = read.tensor(t.name());
                assertEquals(-1, t.data().mismatch(r.data()), t.name());
                assertNotEquals(t.data().address(), r.data().address());
            }
        }
    }

    @Test
    void mlockLocksOrExplainsTheLimit() {
        for (boolean mmap : new boolean[] {true, false}) {
            try (GgufFile f = GgufFile.open(SharedData.require(MODEL), new LoadOptions(mmap, true))) {
                assertEquals(0, f.mapping().get(ValueLayout.JAVA_BYTE, 0) - 'G');
            } catch (StrataException e) {
                assertTrue(e.getMessage().contains("ulimit -l"), e.getMessage());
            }
        }
    }
}
