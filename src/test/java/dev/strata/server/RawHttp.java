package dev.strata.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 over a bare socket, for requests java.net.http refuses to send (bad paths, lying lengths, endless chunks). */
final class RawHttp {
    private RawHttp() {}

    record Response(int status, String head, String body) {}

    /** Sends the bytes as given, then reads until the server closes or timeoutMillis pass without data. */
    static Response exchange(int port, String request, int timeoutMillis) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(timeoutMillis);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return parse(readAvailable(s.getInputStream()));
        }
    }

    static Response parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int split = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || split < 0) return new Response(-1, text, "");
        String head = text.substring(0, split);
        String body = text.substring(split + 4);
        if (head.toLowerCase().contains("transfer-encoding: chunked")) body = dechunk(body);
        return new Response(Integer.parseInt(head.substring(9, 12)), head, body);
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int eol = chunked.indexOf("\r\n", at);
            if (eol < 0) break;
            int size = Integer.parseInt(chunked.substring(at, eol).trim(), 16);
            if (size == 0) break;
            out.append(chunked, eol + 2, Math.min(chunked.length(), eol + 2 + size));
            at = eol + 2 + size + 2;
        }
        return out.toString();
    }

    /** Reads until end of stream, a read timeout, or a complete Content-Length response. */
    static byte[] readAvailable(InputStream in) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            for (int n; (n = in.read(chunk)) > 0; ) {
                buf.write(chunk, 0, n);
                if (complete(buf.toString(StandardCharsets.ISO_8859_1))) break;
            }
        } catch (IOException e) {
            // reset or timeout: whatever arrived is the answer
        }
        return buf.toByteArray();
    }

    private static boolean complete(String text) {
        int split = text.indexOf("\r\n\r\n");
        if (split < 0) return false;
        String head = text.substring(0, split).toLowerCase();
        int cl = head.indexOf("content-length: ");
        if (cl < 0) return head.contains("transfer-encoding: chunked") && text.endsWith("0\r\n\r\n");
        int end = head.indexOf("\r\n", cl);
        long length = Long.parseLong(head.substring(cl + 16, end < 0 ? head.length() : end).trim());
        return text.length() - split - 4 >= length;
    }

    /**
     * Streams an endless chunked body (1 MiB chunks, up to maxBytes) while a second thread collects the answer, so
     * a server that answers 413 early and closes is seen even though the writer gets a broken pipe.
     */
    static Response chunkedFlood(int port, String path, long maxBytes, int timeoutMillis) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(timeoutMillis);
            byte[][] answer = new byte[1][];
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    answer[0] = readAvailable(s.getInputStream());
                } catch (IOException e) {
                    answer[0] = new byte[0];
                }
            });
            OutputStream out = s.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[1 << 20];
            java.util.Arrays.fill(chunk, (byte) ' ');
            chunk[0] = '[';
            byte[] header = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            try {
                for (long sent = 0; sent < maxBytes && reader.isAlive(); sent += chunk.length) {
                    out.write(header);
                    out.write(chunk);
                    out.write(new byte[] {'\r', '\n'});
                    chunk[0] = ' ';
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                // the server stopped reading: expected once it has answered
            }
            reader.join(timeoutMillis);
            return parse(answer[0] == null ? new byte[0] : answer[0]);
        }
    }
}
