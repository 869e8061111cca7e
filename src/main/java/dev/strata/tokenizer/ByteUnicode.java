package dev.strata.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * GPT-2's reversible byte-to-unicode mapping: printable Latin-1 bytes map to themselves, the
 * remaining 68 bytes to U+0100 onwards, so that every byte string becomes a printable string.
 */
final class ByteUnicode {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) next++;
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteUnicode() {}

    /** The UTF-8 bytes of {@code text}, each replaced by its mapped character. */
    static String encode(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        char[] out = new char[utf8.length];
        for (int i = 0; i < utf8.length; i++) out[i] = BYTE_TO_CHAR[utf8[i] & 0xFF];
        return new String(out);
    }

    /**
     * Reverses {@link #encode}. Like llama.cpp, a code point outside the mapping becomes the
     * marker {@code [UNK_BYTE_0x<hex of its UTF-8>><token text>]}.
     */
    static byte[] decode(String token) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(token.length());
        token.codePoints().forEach(cp -> {
            int b = cp < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[cp] : -1;
            if (b >= 0) {
                out.write(b);
                return;
            }
            StringBuilder marker = new StringBuilder("[UNK_BYTE_0x");
            for (byte u : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                marker.append(String.format("%02x", u & 0xFF));
            }
            marker.append(token).append(']');
            out.writeBytes(marker.toString().getBytes(StandardCharsets.UTF_8));
        });
        return out.toByteArray();
    }
}
