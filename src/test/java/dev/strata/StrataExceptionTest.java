package dev.strata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class StrataExceptionTest {
    @Test
    void messagesQuotingUntrustedTextStayOneLine() {
        // the coverage-guided GGUF fuzz run found a tokenizer model name with a line break echoed into the error
        assertEquals("unsupported tokenizer model '  \\n a'",
                new StrataException("unsupported tokenizer model '  \n a'").getMessage());
        assertEquals("a\\u0000b\\u001bc\\u2028", new StrataException("a\u0000b\u001bc\u2028").getMessage());
        assertEquals("x\\u000d\\ny", StrataException.oneLine("x\r\ny"));
    }

    @Test
    void cleanMessagesAreUnchangedAndQuotesAreCut() {
        String clean = "model.gguf: tensor 'blk.0.attn_q.weight' is missing";
        assertSame(clean, StrataException.oneLine(clean));
        assertEquals("'" + "a".repeat(80) + "...(1000 chars)'", StrataException.quote("a".repeat(1000)));
        assertEquals(82 + "...(100 chars)".length(), StrataException.quote("\n".repeat(100)).length());
        assertEquals("'two\\nlines'", StrataException.quote("two\nlines"));
    }
}
