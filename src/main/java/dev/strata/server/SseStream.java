package dev.strata.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events over a raw response stream. A failed write means the client has gone: the stream
 * remembers it so the generation loop can stop and free its slot.
 */
final class SseStream {
    private final OutputStream out;
    private volatile boolean clientGone;

    SseStream(OutputStream out) {
        this.out = out;
    }

    void send(JsonNode event) {
        write("data: " + event + "\n\n");
    }

    void done() {
        write("data: [DONE]\n\n");
    }

    boolean clientGone() {
        return clientGone;
    }

    private void write(String text) {
        if (clientGone) return;
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException | RuntimeException e) {
            clientGone = true;
        }
    }
}
