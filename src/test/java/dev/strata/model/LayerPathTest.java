package dev.strata.model;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.StrataException;
import org.junit.jupiter.api.Test;
import dev.strata.runtime.ExecutionPlan;

class LayerPathTest {
    @Test
    void rangesConcatenate() {
        assertArrayEquals(new int[] {0, 1, 2, 3, 1, 2, 3, 4, 5}, LayerPath.parse("0-3,1-3,4-5", 6));
        assertArrayEquals(new int[] {0, 2, 4}, LayerPath.parse("0,2,4", 6));
    }

    @Test
    void dupRunsTheBlockOnceMoreRightAfterItself() {
        assertArrayEquals(new int[] {0, 1, 2, 3, 2, 3, 4, 5}, LayerPath.parse("dup:2-3", 6));
    }

    @Test
    void loopRunsTheBlockNTimesInAll() {
        assertArrayEquals(new int[] {0, 1, 2, 1, 2, 1, 2, 3}, LayerPath.parse("loop:1-2x3", 4));
        assertArrayEquals(new int[] {0, 1, 2, 3}, LayerPath.parse("loop:1-2x1", 4));
    }

    @Test
    void skipDropsLayers() {
        assertArrayEquals(new int[] {0, 3, 4}, LayerPath.parse("skip:1-2", 5));
    }

    @Test
    void modifiersCompose() {
        assertArrayEquals(new int[] {0, 1, 1, 3}, LayerPath.parse("dup:1,skip:2", 4));
    }

    @Test
    void identityPlanIsRecognised() {
        assertTrue(ExecutionPlan.ofPath(LayerPath.parse("0-4", 5)).isIdentity(5));
        ExecutionPlan p = ExecutionPlan.ofPath(LayerPath.parse("dup:1-2", 5));
        assertEquals(7, p.kvSlots());
        assertEquals(new ExecutionPlan.Step(1, 3), p.steps().get(3));
    }

    @Test
    void errorsNameTheProblemAndLayerCount() {
        assertMessage("0-40", 32, "layer 40 is out of range", "32 layers");
        assertMessage("", 5, "empty", "5 layers");
        assertMessage("a-b", 5, "'a' is not a layer number", "0-4");
        assertMessage("5-2", 8, "runs backwards", "8 layers");
        assertMessage("wat:1", 8, "unknown operator 'wat'", "8 layers");
        assertMessage("loop:1-2", 8, "needs a count", "8 layers");
        assertMessage("skip:0-4", 5, "empty", "5 layers");
        assertMessage("0,2,dup:1", 5, "does not occur", "5 layers");
    }

    private static void assertMessage(String spec, int n, String... parts) {
        StrataException e = assertThrows(StrataException.class, () -> LayerPath.parse(spec, n));
        for (String p : parts) assertTrue(e.getMessage().contains(p), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
