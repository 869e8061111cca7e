package dev.strata.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns generated token ids into text incrementally. A token may end inside a multi-byte UTF-8
 * character (byte-fallback and byte-level BPE tokens do); such a trailing partial character is
 * held back until the tokens that complete it arrive.
 */
public final class StreamingDecoder {
    private final Tokenizer tokenizer;
    private final boolean renderSpecial;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final StringBuilder text = new StringBuilder();

    public StreamingDecoder(Tokenizer tokenizer) {
        this(tokenizer, false);
    }

    public StreamingDecoder(Tokenizer tokenizer, boolean renderSpecial) {
        this.tokenizer = tokenizer;
        this.renderSpecial = renderSpecial;
    }

    /** Adds one token; returns the text it completes (possibly empty). */
    public String accept(int tokenId) {
        pending.writeBytes(tokenizer.piece(tokenId, renderSpecial));
        byte[] bytes = pending.toByteArray();
        int complete = completePrefixLength(bytes);
        pending.reset();
        pending.write(bytes, complete, bytes.length - complete);
        return emit(Arrays.copyOf(bytes, complete));
    }

    /** Ends the stream: any held-back partial character is emitted as U+FFFD. */
    public String flush() {
        byte[] rest = pending.toByteArray();
        pending.reset();
        return emit(rest);
    }

    /** All text emitted so far. */
    public String text() {
        return text.toString();
    }

    private String emit(byte[] bytes) {
        String chunk = new String(bytes, StandardCharsets.UTF_8);
        text.append(chunk);
        return chunk;
    }

    /**
     * Length of the longest prefix that does not end in an unfinished UTF-8 sequence. Only a
     * sequence that could still become valid is held back; invalid bytes pass through (and decode
     * to U+FFFD) so the stream never stalls.
     */
    static int completePrefixLength(byte[] bytes) {
        int n = bytes.length;
        for (int back = 1; back <= Math.min(3, n); back++) {
            int b = bytes[n - back] & 0xFF;
            if ((b & 0xC0) == 0x80) continue; // continuation byte: keep looking for the lead byte
            int needed = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? (b <= 0xEF ? 3 : 0) : b >= 0xC2 ? 2 : 0;
            return needed > back ? n - back : n;
        }
        return n;
    }
}
