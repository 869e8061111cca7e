package dev.strata.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tensor.quant.GgmlType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Progress reaches the watcher tensor by tensor and ends at the size of the data section. */
class WriteProgressTest {
    @TempDir Path dir;

    @Test
    void reportsMonotoneBytesEndingAtTheDataSectionSize() throws Exception {
        GgufWriter w = new GgufWriter().putU32("general.alignment", 64);
        w.addTensor("a", GgmlType.F32, new long[] {10}, new byte[40]);
        w.addTensor("b", GgmlType.F32, new long[] {32, 2}, new byte[256]);
        w.addTensor("c", GgmlType.F32, new long[] {3}, new byte[12]);
        List<long[]> calls = new ArrayList<>();
        try (var scope = WriteProgress.watch((done, total) -> calls.add(new long[] {done, total}))) {
            w.write(dir.resolve("m.gguf"));
        }
        assertEquals(3, calls.size());
        assertEquals(40, calls.get(0)[0]);
        assertEquals(64 + 256, calls.get(1)[0]);
        assertEquals(64 + 256 + 12, calls.get(2)[0]);
        for (long[] c : calls) assertEquals(384, c[1], "data section: 40->64, 256->320, 12->384 after alignment");
        try (GgufFile f = GgufFile.open(dir.resolve("m.gguf"))) {
            long dataBytes = Files.size(dir.resolve("m.gguf")) - f.dataOffset();
            assertTrue(dataBytes >= 332 && dataBytes <= 384, "the file's data section holds the reported bytes: " + dataBytes);
        }
        assertNull(WriteProgress.CURRENT.get(), "the scope is gone after close");
    }
}
