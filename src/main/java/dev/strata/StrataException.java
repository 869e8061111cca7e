package dev.strata;

/** The one error family: messages are written for users and printed as a single line by the CLI. */
public class StrataException extends RuntimeException {
    public StrataException(String message) {
        super(message);
    }

    public StrataException(String message, Throwable cause) {
        super(message, cause);
    }
}
