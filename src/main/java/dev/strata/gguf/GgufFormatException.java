package dev.strata.gguf;

import dev.strata.StrataException;

/** A GGUF file that is not valid: the message names the file and the problem, on one line. */
public class GgufFormatException extends StrataException {
    private static final int MAX_QUOTED = 80;

    public GgufFormatException(String file, String problem) {
        super(file + ": " + oneLine(problem));
    }

    /** Quotes a name read from a file so that garbage in a corrupt file cannot blow up the message. */
    static String quote(String s) {
        String shown = s.length() > MAX_QUOTED ? s.substring(0, MAX_QUOTED) + "...(" + s.length() + " chars)" : s;
        return "'" + oneLine(shown) + "'";
    }

    private static String oneLine(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') b.append("\\n");
            else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.toString();
    }
}
