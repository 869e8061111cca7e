package dev.strata.train;

import dev.strata.StrataException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations such as {@code 90}, {@code 45s}, {@code 5m}, {@code 1.5h} into seconds. */
public final class Durations {
    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(s|m|h)?");

    private Durations() {}

    public static double seconds(String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) throw new StrataException("cannot read duration '" + text + "' (use e.g. 90s, 5m or 1h)");
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "m" -> value * 60;
            case "h" -> value * 3600;
            default -> value;
        };
    }
}
