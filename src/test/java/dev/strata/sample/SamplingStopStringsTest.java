package dev.strata.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SamplingStopStringsTest {
    @Test
    void textWithoutStopsPassesThrough() {
        StopStrings s = new StopStrings(List.of("</s>"));
        assertEquals("Hello", s.accept("Hello"));
        assertEquals(" world", s.accept(" world"));
        assertFalse(s.stopped());
        assertNull(s.matchedStop());
        assertEquals("", s.flush());
    }

    @Test
    void stopSplitAcrossChunksIsHeldBackThenDropped() {
        StopStrings s = new StopStrings(List.of("</s>"));
        assertEquals("Hello ", s.accept("Hello <"));
        assertEquals("", s.accept("/"));
        assertEquals("", s.accept("s>tail"));
        assertTrue(s.stopped());
        assertEquals("</s>", s.matchedStop());
        assertEquals("", s.accept("more"), "nothing after the stop");
    }

    @Test
    void heldBackTextIsReleasedWhenItStopsMatching() {
        StopStrings s = new StopStrings(List.of("</s>"));
        assertEquals("a ", s.accept("a </"));
        assertEquals("</b", s.accept("b"));
        assertEquals("x ", s.accept("x <"));
        assertEquals("<", s.flush(), "end of generation releases the tail");
    }

    @Test
    void stopInsideOneChunkCutsTheChunk() {
        StopStrings s = new StopStrings(List.of("STOP"));
        assertEquals("foo ", s.accept("foo STOP bar"));
        assertTrue(s.stopped());
    }

    @Test
    void earliestOfSeveralStopsWins() {
        StopStrings s = new StopStrings(List.of("abc", "bcd", "", "\n\n"));
        assertEquals("x", s.accept("xb"));
        assertEquals("", s.accept("c"));
        assertEquals("", s.accept("d abc"));
        assertEquals("bcd", s.matchedStop());

        StopStrings t = new StopStrings(List.of("User:", "\n\n"));
        assertEquals("Sure.", t.accept("Sure.\n"));
        assertEquals("", t.accept("\nUser:"));
        assertEquals("\n\n", t.matchedStop());
    }

    @Test
    void holdsTheLongestPossibleStopPrefix() {
        StopStrings s = new StopStrings(List.of("<|im_end|>", "<|endoftext|>"));
        assertEquals("ok ", s.accept("ok <|"));
        assertEquals("", s.accept("im_"));
        assertEquals("<|im_x", s.accept("x"));
        assertEquals("", s.accept("<|endof"));
        assertEquals("", s.accept("text|>"));
        assertEquals("<|endoftext|>", s.matchedStop());
    }

    @Test
    void noStopStringsMeansNoHolding() {
        StopStrings s = new StopStrings(List.of());
        assertEquals("<|im", s.accept("<|im"));
        assertFalse(s.stopped());
    }
}
