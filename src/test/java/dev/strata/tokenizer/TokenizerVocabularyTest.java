package dev.strata.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.SharedData;
import dev.strata.StrataException;
import dev.strata.gguf.GgufFile;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TokenizerVocabularyTest {

    @Test
    void llama3SpecialTokensAndEndOfGeneration() {
        Vocabulary v = VocabFixtures.model("llama3-tiny-random").vocab();
        assertEquals(128256, v.size());
        assertEquals(128000, v.bos());
        assertTrue(v.addBos());
        assertFalse(v.addEos());
        for (String text : new String[] {"<|end_of_text|>", "<|eot_id|>"}) {
            assertTrue(v.isEndOfGeneration(v.idOf(text)), text + " ends generation");
        }
        assertEquals(v.idOf("<|eot_id|>"), v.eot());
        assertEquals(Vocabulary.NONE, v.idOf("<|eom_id|>"), "this file carries the Llama 3.0 vocabulary, without <|eom_id|>");
        assertFalse(v.isEndOfGeneration(v.idOf("<|start_header_id|>")));
        assertFalse(v.isEndOfGeneration(v.idOf("Hello")));
    }

    @Test
    void qwenEndsOnImEndAndEndOfText() {
        Vocabulary v = VocabFixtures.model("qwen2-tiny-random").vocab();
        assertTrue(v.isEndOfGeneration(v.idOf("<|im_end|>")));
        assertTrue(v.isEndOfGeneration(v.idOf("<|endoftext|>")));
        assertFalse(v.isEndOfGeneration(v.idOf("<|im_start|>")));
    }

    @Test
    void sentencePieceDefaults() {
        Tokenizer stories = VocabFixtures.model("stories260K-F32");
        Vocabulary v = stories.vocab();
        assertEquals(1, v.bos());
        assertEquals(2, v.eos());
        assertTrue(v.addSpacePrefix());
        assertTrue(v.isEndOfGeneration(2));
        assertEquals(TokenType.BYTE, v.type(v.idOf("<0x0A>")));
        assertArrayEquals(new byte[] {'\n'}, stories.tokenBytes(v.idOf("<0x0A>")));
        assertArrayEquals(new byte[0], stories.piece(v.bos(), false));
        assertArrayEquals("<s>".getBytes(StandardCharsets.UTF_8), stories.piece(v.bos(), true));
    }

    @Test
    void byteLevelPiecesUndoTheByteMapping() {
        Tokenizer llama3 = VocabFixtures.model("llama3-tiny-random");
        int helloWithSpace = llama3.encode(" Hello", false, false)[0];
        assertEquals("ĠHello", llama3.vocab().text(helloWithSpace));
        assertArrayEquals(" Hello".getBytes(StandardCharsets.UTF_8), llama3.tokenBytes(helloWithSpace));
        int eot = llama3.vocab().idOf("<|eot_id|>");
        assertEquals("", llama3.decode(new int[] {eot}));
        assertEquals("<|eot_id|>", new String(llama3.piece(eot, true), StandardCharsets.UTF_8));
    }

    @Test
    void unsupportedTokenizerModelIsAClearError() {
        GgufFile gguf = GgufFile.parse("t5-vocab", MemorySegment.ofArray(ggufWithTokenizer("t5", "<pad>", "</s>", "<unk>")));
        StrataException e = assertThrows(StrataException.class, () -> Tokenizer.fromGguf(gguf));
        assertEquals("unsupported tokenizer model 't5'", e.getMessage());
    }


    /** A minimal GGUF v3 file holding only tokenizer.ggml.model and tokenizer.ggml.tokens. */
    private static byte[] ggufWithTokenizer(String model, String... tokens) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeInt(out, GgufFile.MAGIC);
        writeInt(out, 3);
        writeLong(out, 0);
        writeLong(out, 2);
        writeString(out, "tokenizer.ggml.model");
        writeInt(out, 8);
        writeString(out, model);
        writeString(out, "tokenizer.ggml.tokens");
        writeInt(out, 9);
        writeInt(out, 8);
        writeLong(out, tokens.length);
        for (String token : tokens) writeString(out, token);
        return out.toByteArray();
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }

    private static void writeLong(ByteArrayOutputStream out, long value) {
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeLong(out, bytes.length);
        out.writeBytes(bytes);
    }
}
