package dev.strata;

/** The one error family: messages are written for users and printed as a single line by the CLI. */
public class StrataException extends RuntimeException {
    public StrataException(String message) {
        super(oneLine(message));
    }

    public StrataException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    private static final int MAX_QUOTED = 80;

    /** Quotes text read from a file or a request for a message: one line, and cut so garbage cannot blow it up. */
    public static String quote(String s) {
        if (s == null) return "null";
        String line = oneLine(s);
        return "'" + (line.length() > MAX_QUOTED ? line.substring(0, MAX_QUOTED) + "...(" + s.length() + " chars)" : line) + "'";
    }

    /**
     * Messages often quote text from files and requests (metadata, names, specs); escaping its line breaks and
     * control characters keeps every message one line, so such text can neither split an error nor forge a log line.
     */
    public static String oneLine(String s) {
        if (s == null) return null;
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean escape = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            if (escape && b == null) b = new StringBuilder(s.length() + 16).append(s, 0, i);
            if (b == null) continue;
            if (c == '\n') b.append("\\n");
            else if (escape) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b == null ? s : b.toString();
    }
}
