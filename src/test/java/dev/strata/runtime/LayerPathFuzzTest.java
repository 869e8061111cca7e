package dev.strata.runtime;

import dev.strata.model.LayerPath;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.strata.FuzzSupport;
import dev.strata.StrataException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Jazzer target: the layer-path parser. The first byte picks the layer count (1-64), the rest is the spec. A path
 * that parses must stay within the step cap and name only existing layers; anything else is a StrataException.
 */
class LayerPathFuzzTest {
    public static void fuzzerTestOneInput(byte[] data) {
        if (data.length == 0) return;
        int layers = 1 + (data[0] & 63);
        String spec = new String(data, 1, data.length - 1, StandardCharsets.UTF_8);
        try {
            int[] path = LayerPath.parse(spec, layers);
            if (path.length == 0 || path.length > LayerPath.defaultMaxSteps(layers)) throw new AssertionError("path of " + path.length + " steps");
            for (int l : path) if (l < 0 || l >= layers) throw new AssertionError("layer " + l + " of " + layers);
        } catch (StrataException e) {
            if (e.getMessage().length() > 400) throw new AssertionError("message of " + e.getMessage().length() + " chars");
        }
    }

    @FuzzTest(maxDuration = "10m")
    void fuzz(byte[] data) {
        fuzzerTestOneInput(data);
    }

    @Test
    void corpusAndSeededMutants() {
        assertTrue(FuzzSupport.replayAndMutate(LayerPathFuzzTest.class, LayerPathFuzzTest::fuzzerTestOneInput, 1000, 20) > 1000);
    }
}
