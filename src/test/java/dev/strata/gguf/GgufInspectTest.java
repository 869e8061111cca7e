package dev.strata.gguf;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.SharedData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufInspectTest {
    @Test
    void rendersStoriesTablesAndTotals() {
        try (GgufFile f = GgufFile.open(SharedData.require(SharedData.model("stories260K-Q4_0.gguf")))) {
            String out = GgufInspect.render(f);
            assertTrue(out.contains("GGUF v3, 22 metadata keys, 48 tensors, alignment 32"), out);
            assertTrue(out.lines().anyMatch(l -> l.matches("general\\.architecture\\s+str\\s+llama")), out);
            assertTrue(out.lines().anyMatch(l -> l.matches("tokenizer\\.ggml\\.tokens\\s+arr\\[str,512]\\s+\\[string x 512]")), out);
            assertTrue(out.lines().anyMatch(l -> l.matches("llama\\.block_count\\s+u32\\s+5")), out);
            assertTrue(out.lines().anyMatch(l -> l.matches("token_embd\\.weight\\s+Q4_0\\s+\\[64, 512]\\s+18,432")), out);
            assertTrue(out.lines().anyMatch(l -> l.matches("Q4_0\\s+32\\s+.*")), out);
            assertTrue(out.lines().anyMatch(l -> l.matches("F32\\s+16\\s+.*")), out);
            long params = GgufInspect.parameterCount(f.tensors().values());
            assertTrue(out.lines().anyMatch(l -> l.matches("total\\s+48\\s+" + String.format(java.util.Locale.ROOT, "%,d", params) + "\\s+.*100\\.0%")), out);
            assertTrue(out.contains(GgufInspect.count(params) + " parameters"), out);
        }
    }

    @Test
    void parameterCountMatchesTheShapes() {
        try (GgufFile f = GgufFile.open(SharedData.require(SharedData.model("stories260K-F32.gguf")))) {
            long bytes = f.tensors().values().stream().mapToLong(t -> t.data().byteSize()).sum();
            assertEquals(bytes / 4, GgufInspect.parameterCount(f.tensors().values()), "F32: 4 bytes per parameter");
        }
    }

    @Test
    void escapesControlCharactersSoEveryRowIsOneLine(@TempDir Path dir) {
        GgufWriter w = new GgufWriter().putString("note", "two\nlines\tand\u0007bell");
        w.addTensor("w", dev.strata.tensor.quant.GgmlType.F32, new long[] {2}, new byte[8]);
        w.write(dir.resolve("x.gguf"));
        try (GgufFile f = GgufFile.open(dir.resolve("x.gguf"))) {
            String table = GgufInspect.metadataTable(f.metadata());
            assertEquals(2, table.lines().count(), table);
            assertTrue(table.contains("two\\nlines\\u0009and\\u0007bell"), table);
        }
    }

    @Test
    void typeNamesFollowLlamaCppConventions() {
        assertEquals("u8", GgufInspect.typeName(GgufValue.u8(1)));
        assertEquals("i16", GgufInspect.typeName(GgufValue.i16((short) 1)));
        assertEquals("f64", GgufInspect.typeName(GgufValue.f64(1)));
        assertEquals("bool", GgufInspect.typeName(GgufValue.bool(true)));
        assertEquals("arr[u32,3]", GgufInspect.typeName(GgufValue.array(GgufValueType.UINT32, new int[3])));
        assertEquals("arr[arr,1]", GgufInspect.typeName(GgufValue.array(GgufValueType.ARRAY, new GgufValue[] {GgufValue.strings()})));
        assertEquals("7.24B", GgufInspect.count(7_241_732_096L));
        assertEquals("1.1 MiB", GgufInspect.bytes(1_185_568));
    }
}
