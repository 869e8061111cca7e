package dev.strata.tokenizer;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * The global functions HF's renderer gives templates: {@code raise_exception(msg)} and
 * {@code strftime_now(fmt)}. Jinjava calls them as static methods, so the state of the render in
 * progress (its clock, and the message of a raised exception) lives in a thread-local.
 */
final class ChatTemplateFunctions {
    private ChatTemplateFunctions() {}

    static final class RenderState {
        final Clock clock;
        String raisedMessage;

        RenderState(Clock clock) { this.clock = clock; }
    }

    private static final ThreadLocal<RenderState> CURRENT = new ThreadLocal<>();

    static void begin(RenderState state) { CURRENT.set(state); }

    static void end() { CURRENT.remove(); }

    /**
     * Jinjava records exceptions thrown by functions as template errors and keeps rendering, so the
     * message is remembered here and the caller turns it into a StrataException after the render.
     */
    public static String raiseException(String message) {
        RenderState state = CURRENT.get();
        if (state != null && state.raisedMessage == null) state.raisedMessage = message;
        throw new IllegalStateException(message);
    }

    public static String strftimeNow(String format) {
        RenderState state = CURRENT.get();
        Clock clock = state != null ? state.clock : Clock.systemDefaultZone();
        return strftime(ZonedDateTime.now(clock), format);
    }

    /** The subset of C strftime that chat templates use, in the C locale. */
    static String strftime(ZonedDateTime t, String format) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char code = format.charAt(++i);
            switch (code) {
                case 'd' -> out.append(pad2(t.getDayOfMonth()));
                case 'e' -> out.append(String.format("%2d", t.getDayOfMonth()));
                case 'm' -> out.append(pad2(t.getMonthValue()));
                case 'Y' -> out.append(t.getYear());
                case 'y' -> out.append(pad2(t.getYear() % 100));
                case 'b', 'h' -> out.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'B' -> out.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'a' -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'A' -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'H' -> out.append(pad2(t.getHour()));
                case 'I' -> out.append(pad2((t.getHour() + 11) % 12 + 1));
                case 'p' -> out.append(t.getHour() < 12 ? "AM" : "PM");
                case 'M' -> out.append(pad2(t.getMinute()));
                case 'S' -> out.append(pad2(t.getSecond()));
                case 'j' -> out.append(String.format("%03d", t.getDayOfYear()));
                case 'Z' -> out.append(t.getZone().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case '%' -> out.append('%');
                default -> out.append('%').append(code);
            }
        }
        return out.toString();
    }

    private static String pad2(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }
}
