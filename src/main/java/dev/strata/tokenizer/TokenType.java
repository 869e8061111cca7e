package dev.strata.tokenizer;

/** Token types as stored in GGUF {@code tokenizer.ggml.token_type} (the index is the stored code). */
public enum TokenType {
    UNDEFINED, NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE;

    static TokenType fromCode(int code) {
        return code >= 0 && code < values().length ? values()[code] : UNDEFINED;
    }
}
