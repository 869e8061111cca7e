package dev.strata.server;

/**
 * Streams plain content while it cannot be the start of a tool call, and holds back everything from the
 * first call on, so the client gets content deltas live and the calls as one tool_calls delta at the end.
 */
final class ToolStreamFilter {
    private static final String HERMES_TAG = "<tool_call>";
    private final ToolCalling.Format format;
    private final boolean forced;
    private final StringBuilder all = new StringBuilder();
    private int emitted;
    private boolean holding;

    ToolStreamFilter(ToolCalling.Format format, boolean forced) {
        this.format = format;
        this.forced = forced;
    }

    /** Adds generated text; returns the part that is certainly content and may be streamed now. */
    String accept(String text) {
        all.append(text);
        if (forced || holding) return "";
        int safe;
        if (format == ToolCalling.Format.HERMES) {
            int tag = all.indexOf(HERMES_TAG, emitted);
            if (tag >= 0) {
                holding = true;
                safe = tag;
            } else {
                safe = all.length() - partialTagLength();
            }
        } else {
            String stripped = all.toString().stripLeading();
            if (stripped.isEmpty()) return "";
            char first = stripped.charAt(0);
            if (emitted == 0 && (first == '{' || first == '[' || stripped.startsWith("<|python_tag|>"))) {
                holding = true;
                return "";
            }
            safe = all.length();
        }
        String out = all.substring(emitted, Math.max(emitted, safe));
        emitted = Math.max(emitted, safe);
        return out;
    }

    /** The whole generated text. */
    String text() {
        return all.toString();
    }

    /** The text not streamed yet. */
    String rest() {
        return all.substring(emitted);
    }

    private int partialTagLength() {
        for (int len = Math.min(HERMES_TAG.length() - 1, all.length()); len > 0; len--) {
            if (all.substring(all.length() - len).equals(HERMES_TAG.substring(0, len))) return len;
        }
        return 0;
    }
}
