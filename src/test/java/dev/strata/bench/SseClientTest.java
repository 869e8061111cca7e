package dev.strata.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The load test's HTTP/1.1 client against answers written byte by byte here: the events must come out whole
 * whatever the framing (chunks that split a line or a UTF-8 character, chunk extensions, Content-Length, a
 * body that ends at close), and the request must be what the server would parse.
 */
class SseClientTest {
    private static final String EVENTS = "data: {\"text\":\"Once\"}\n\ndata: {\"text\":\" upon ü\"}\n\ndata: [DONE]\n\n";
    private static final List<String> WANT = List.of("{\"text\":\"Once\"}", "{\"text\":\" upon ü\"}", "[DONE]");

    /** Serves one connection with {@code answer}; completes with the request head and body it read. */
    private static CompletableFuture<String> serveOnce(ServerSocket server, byte[] answer) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                int contentLength = -1;
                StringBuilder line = new StringBuilder();
                for (int b; (b = in.read()) >= 0; ) { // the head, line by line, up to the empty line
                    got.write(b);
                    if (b != '\n') {
                        if (b != '\r') line.append((char) b);
                        continue;
                    }
                    if (line.isEmpty()) break;
                    if (line.toString().toLowerCase().startsWith("content-length:")) contentLength = Integer.parseInt(line.substring(15).trim());
                    line.setLength(0);
                }
                got.write(in.readNBytes(contentLength));
                s.getOutputStream().write(answer);
                s.getOutputStream().flush();
                return got.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** The body in chunks of {@code size} bytes, sizes in hex, one with an extension. */
    private static byte[] chunked(byte[] body, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0, k = 0; i < body.length; i += size, k++) {
            int n = Math.min(size, body.length - i);
            out.writeBytes(bytes(Integer.toHexString(n) + (k == 1 ? ";name=value" : "") + "\r\n"));
            out.write(body, i, n);
            out.writeBytes(bytes("\r\n"));
        }
        out.writeBytes(bytes("0\r\n\r\n"));
        return out.toByteArray();
    }

    private static List<String> post(byte[] answer, int wantStatus) throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            CompletableFuture<String> request = serveOnce(server, answer);
            List<String> events = new ArrayList<>();
            int status = SseClient.post(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/completions"), "k3y",
                    "{\"prompt\":\"é\"}", events::add);
            assertEquals(wantStatus, status);
            String head = request.get(10, TimeUnit.SECONDS);
            assertTrue(head.startsWith("POST /v1/completions HTTP/1.1\r\n"), head);
            assertTrue(head.contains("\r\nAuthorization: Bearer k3y\r\n"), head);
            assertTrue(head.contains("\r\nContent-Length: 15\r\n"), "the body's UTF-8 length: " + head);
            assertTrue(head.endsWith("\r\n\r\n{\"prompt\":\"é\"}"), head);
            return events;
        }
    }

    @Test
    void chunkedEventsComeOutWholeWhereverTheChunksSplitThem() throws Exception {
        for (int size : new int[] {1, 3, 7, 16, 1000}) {
            byte[] answer = concat(bytes("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"),
                    chunked(bytes(EVENTS), size));
            assertEquals(WANT, post(answer, 200), "chunks of " + size);
        }
    }

    @Test
    void contentLengthAndReadToCloseBodies() throws Exception {
        byte[] body = bytes(EVENTS);
        assertEquals(WANT, post(concat(bytes("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n"), body), 200));
        assertEquals(WANT, post(concat(bytes("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"), body), 200));
    }

    @Test
    void otherStatusesAreReturnedWithoutEvents() throws Exception {
        byte[] body = bytes("{\"error\":{\"message\":\"busy\"}}\ndata: not an event of a 200\n");
        assertEquals(List.of(), post(concat(bytes("HTTP/1.1 503 Service Unavailable\r\nContent-Length: " + body.length + "\r\n\r\n"), body), 503));
    }

    @Test
    void aBodyCutInsideAChunkIsAnError() {
        byte[] answer = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n40\r\ndata: {}\n");
        assertThrows(IOException.class, () -> post(answer, 200));
        assertThrows(IOException.class, () -> post(bytes("SSH-2.0-OpenSSH\r\n"), 200));
    }
}
