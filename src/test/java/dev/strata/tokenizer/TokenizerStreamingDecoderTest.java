package dev.strata.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TokenizerStreamingDecoderTest {

    @Test
    void byteFallbackTokensNeverEmitPartialCharacters() {
        Tokenizer stories = VocabFixtures.model("stories260K-F32");
        String text = "日本 🚀 é";
        int[] ids = stories.encode(text, false, false);
        assertStreamsExactly(stories, ids, " " + text);
    }

    @Test
    void byteLevelBpeSplitsOfEmojiAreHeldBack() {
        Tokenizer llama3 = VocabFixtures.model("llama3-tiny-random");
        String text = "ok 😶\u200d🌫️ កាន់តែ 🦙";
        assertStreamsExactly(llama3, llama3.encode(text, false, false), text);
    }

    private static void assertStreamsExactly(Tokenizer tokenizer, int[] ids, String expected) {
        StreamingDecoder decoder = new StreamingDecoder(tokenizer);
        StringBuilder streamed = new StringBuilder();
        int heldBack = 0;
        for (int id : ids) {
            String chunk = decoder.accept(id);
            assertTrue(!chunk.contains("\uFFFD"), () -> "partial character emitted as U+FFFD for token " + id);
            if (chunk.isEmpty()) heldBack++;
            streamed.append(chunk);
            assertTrue(expected.startsWith(streamed.toString()), () -> "streamed '" + streamed + "' is not a prefix of '" + expected + "'");
        }
        assertEquals("", decoder.flush());
        assertEquals(expected, streamed.toString());
        assertEquals(expected, decoder.text());
        assertTrue(heldBack > 0, "the test text should split at least one character across tokens");
    }

    @Test
    void flushEmitsAnUnfinishedCharacterAsReplacement() {
        Tokenizer stories = VocabFixtures.model("stories260K-F32");
        byte[] snowman = "☃".getBytes(StandardCharsets.UTF_8);
        StreamingDecoder decoder = new StreamingDecoder(stories);
        assertEquals("", decoder.accept(stories.vocab().idOf(String.format("<0x%02X>", snowman[0] & 0xFF))));
        assertEquals("", decoder.accept(stories.vocab().idOf(String.format("<0x%02X>", snowman[1] & 0xFF))));
        assertEquals("\uFFFD", decoder.flush());
    }

    @Test
    void invalidBytesPassThroughInsteadOfStalling() {
        assertEquals(1, StreamingDecoder.completePrefixLength(new byte[] {(byte) 0x80}));
        assertEquals(0, StreamingDecoder.completePrefixLength(new byte[] {(byte) 0xE2}));
        assertEquals(1, StreamingDecoder.completePrefixLength(new byte[] {'a', (byte) 0xE2, (byte) 0x98}));
        assertEquals(3, StreamingDecoder.completePrefixLength("☃".getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, StreamingDecoder.completePrefixLength(new byte[] {(byte) 0xFF}));
    }
}
