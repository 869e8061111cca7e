package dev.strata.tokenizer;

/** A piece of input after special-token splitting: either a special token or a span of raw text. */
record Fragment(int token, String text) {
    static Fragment special(int token) {
        return new Fragment(token, null);
    }

    static Fragment text(String text) {
        return new Fragment(Vocabulary.NONE, text);
    }

    boolean isText() {
        return text != null;
    }
}
