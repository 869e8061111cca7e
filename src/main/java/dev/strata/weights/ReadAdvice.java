package dev.strata.weights;

import dev.strata.StrataException;
import java.util.Locale;

/**
 * What buffered expert reads tell the kernel about their access pattern ({@code posix_fadvise}).
 * {@code random} turns off read-ahead: expert reads are whole, scattered and sized exactly, so
 * read-ahead (8 MB per read on some block devices) only evicts useful pages. {@code normal} leaves
 * the kernel's default.
 */
public enum ReadAdvice {
    RANDOM(1), NORMAL(0);

    /** The POSIX_FADV_* value. */
    final int posixValue;

    ReadAdvice(int posixValue) {
        this.posixValue = posixValue;
    }

    public static ReadAdvice parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new StrataException("unknown read advice '" + s + "' (use random or normal)");
        }
    }
}
