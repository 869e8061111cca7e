package dev.strata.gguf;

import dev.strata.StrataException;

/** A GGUF file that is not valid: the message names the file and the problem, on one line. */
public class GgufFormatException extends StrataException {
    public GgufFormatException(String file, String problem) {
        super(file + ": " + problem);
    }
}
