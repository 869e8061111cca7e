package dev.strata.sample;

import java.util.List;

/**
 * Watches streamed text for stop strings, as llama.cpp's server does: text that completes a stop string
 * ends generation (the stop string and anything after it are dropped), and a tail that could be the
 * beginning of a stop string is held back until later text decides it.
 */
public final class StopStrings {
    private final List<String> stops;
    private final StringBuilder pending = new StringBuilder();
    private String matched;

    public StopStrings(List<String> stopStrings) {
        this.stops = stopStrings.stream().filter(s -> s != null && !s.isEmpty()).toList();
    }

    /** Adds newly generated text; returns the part that is safe to show now (possibly empty). */
    public String accept(String newText) {
        if (matched != null) return "";
        pending.append(newText);
        int stopAt = -1;
        for (String stop : stops) {
            int at = pending.indexOf(stop);
            if (at >= 0 && (stopAt < 0 || at < stopAt)) {
                stopAt = at;
                matched = stop;
            }
        }
        if (stopAt >= 0) {
            String out = pending.substring(0, stopAt);
            pending.setLength(0);
            return out;
        }
        int emit = pending.length() - longestStopPrefixSuffix();
        String out = pending.substring(0, emit);
        pending.delete(0, emit);
        return out;
    }

    /** True once a stop string has been seen; later text is ignored. */
    public boolean stopped() {
        return matched != null;
    }

    /** The stop string that ended generation, or null. */
    public String matchedStop() {
        return matched;
    }

    /** Ends the stream without a stop: returns the held-back text. */
    public String flush() {
        String out = pending.toString();
        pending.setLength(0);
        return out;
    }

    /** Length of the longest suffix of the pending text that is a proper prefix of some stop string. */
    private int longestStopPrefixSuffix() {
        int best = 0;
        for (String stop : stops) {
            int max = Math.min(stop.length() - 1, pending.length());
            for (int len = max; len > best; len--) {
                if (pendingEndsWith(stop, len)) {
                    best = len;
                    break;
                }
            }
        }
        return best;
    }

    private boolean pendingEndsWith(String stop, int prefixLength) {
        int offset = pending.length() - prefixLength;
        for (int i = 0; i < prefixLength; i++) {
            if (pending.charAt(offset + i) != stop.charAt(i)) return false;
        }
        return true;
    }
}
