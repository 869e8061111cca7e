package dev.strata.runtime;

import dev.strata.model.LayerPath;
import static org.junit.jupiter.api.Assertions.*;

import dev.strata.StrataException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Layer paths longer than the cap (default 4x the layer count) are refused while parsing, before any KV exists. */
class PlanStepLimitTest {
    @Test
    void theDefaultCapIsFourTimesTheLayerCount() {
        assertEquals(20, LayerPath.parse("0-4,0-4,0-4,0-4", 5).length);
        StrataException e = assertThrows(StrataException.class, () -> LayerPath.parse("0-4,0-4,0-4,0-4,0", 5));
        assertTrue(e.getMessage().contains("more than 20 steps"), e.getMessage());
        assertTrue(e.getMessage().contains("--max-plan-steps"), e.getMessage());
    }

    @Test
    void modifiersCountTowardsTheCap() {
        assertEquals(20, LayerPath.parse("loop:0-4x4", 5).length);
        assertThrows(StrataException.class, () -> LayerPath.parse("loop:0-4x4,dup:0-0", 5));
        assertEquals(9, LayerPath.parse("dup:0-3", 5, 9).length);
        assertThrows(StrataException.class, () -> LayerPath.parse("dup:0-3", 5, 8));
    }

    @Test
    void twelveThousandDupTermsAreRejectedAtOnceWithAShortMessage() {
        String spec = "dup:0-0,".repeat(12_000) + "dup:0-0";
        StrataException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(StrataException.class, () -> LayerPath.parse(spec, 5)));
        assertTrue(e.getMessage().contains("more than 20 steps"), e.getMessage());
        assertTrue(e.getMessage().length() < 300, () -> "the spec is echoed in full: " + e.getMessage().length() + " chars");
    }
}
