package dev.strata.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.strata.FuzzSupport;
import dev.strata.StrataException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Jazzer target: request bodies through the JSON reader and the completion request parser; only 4xx errors may result. */
class RequestParserFuzzTest {
    private static final CompletionRequestParser PARSER = new CompletionRequestParser(new ModelNames("fuzz", java.util.Set.of("fuzz"), false), 512, 32000, null, 0);

    public static void fuzzerTestOneInput(byte[] data) {
        String body = new String(data, StandardCharsets.UTF_8);
        for (boolean chat : new boolean[] {true, false}) {
            try {
                PARSER.parse(JsonFields.parseObject(body), chat);
            } catch (ApiException e) {
                if (e.status() < 400 || e.status() >= 500) throw new AssertionError("status " + e.status(), e);
            } catch (StrataException e) {
                // also answered as a 400
            }
        }
    }

    @FuzzTest(maxDuration = "10m")
    void fuzz(byte[] data) {
        fuzzerTestOneInput(data);
    }

    @Test
    void corpusAndSeededMutants() {
        assertTrue(FuzzSupport.replayAndMutate(RequestParserFuzzTest.class, RequestParserFuzzTest::fuzzerTestOneInput, 1000, 20) > 1000);
    }
}
