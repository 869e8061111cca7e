package dev.strata.cli;

import dev.strata.StrataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Text files named on the command line, read as strict UTF-8 with one-line errors that say where decoding failed. */
final class TextFiles {
    private TextFiles() {}

    static String readUtf8(Path file) {
        if (Files.isDirectory(file)) throw new StrataException(file + ": is a directory, not a text file");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new StrataException(file + ": no such file");
        } catch (IOException e) {
            throw new StrataException(file + ": cannot read: " + e.getMessage(), e);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in).toString();
        } catch (CharacterCodingException e) {
            throw new StrataException(file + ": not valid UTF-8 text (bad byte 0x" + String.format("%02x", bytes[in.position()] & 0xff)
                    + " at offset " + in.position() + ")");
        }
    }
}
