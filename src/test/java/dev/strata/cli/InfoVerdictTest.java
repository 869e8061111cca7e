package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.SharedData;
import dev.strata.gguf.GgufFile;
import dev.strata.gguf.GgufWriter;
import dev.strata.tensor.quant.GgmlType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** strata info says whether a file will run, and why not, for the reasons a downloaded GGUF fails. */
class InfoVerdictTest {
    @TempDir Path tmp;

    @Test
    void aSupportedModelRuns() {
        CliTest.Result r = CliTest.run("info", "-m", SharedData.model("mixtral-tiny-random-Q4_K_M.gguf").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("verdict: runs (llama, tensor types F32 Q4_K Q5_K Q6_K Q8_0, llama tokenizer with 32,000 tokens)"), r.out());
    }

    @Test
    void anUnknownArchitectureOrTensorTypeIsNamed() {
        Path glm = rewrite("glm.gguf", "glm4", null);
        CliTest.Result a = CliTest.run("info", "-m", glm.toString());
        assertEquals(1, a.code());
        assertTrue(a.out().contains("verdict: will not run: ") && a.out().contains("unsupported architecture 'glm4'"), a.out());

        Path iq = rewrite("iq.gguf", "llama", GgmlType.IQ4_NL);
        CliTest.Result t = CliTest.run("info", "-m", iq.toString());
        assertEquals(1, t.code());
        assertTrue(t.out().contains("has type IQ4_NL, which Strata does not support yet"), t.out());
    }

    /** stories260K with another architecture name, or with its output matrix stored in another type. */
    private Path rewrite(String name, String arch, GgmlType outputType) {
        Path out = tmp.resolve(name);
        try (GgufFile src = GgufFile.open(SharedData.model("stories260K-F32.gguf"))) {
            GgufWriter w = new GgufWriter();
            GgufWriter.copyMetadata(src, w);
            if (!arch.equals("llama")) {
                src.metadata().forEach((k, v) -> { if (k.startsWith("llama.")) w.remove(k).put(arch + k.substring(5), v); });
            }
            w.putString("general.architecture", arch);
            for (var t : src.tensors().values()) {
                if (outputType != null && t.name().equals("output.weight")) {
                    long[] shape = t.shape();
                    w.addTensor(t.name(), outputType, shape, new byte[(int) outputType.bytesFor(shape[0] * shape[1])]);
                } else {
                    w.addTensor(t);
                }
            }
            w.write(out);
        }
        return out;
    }
}
