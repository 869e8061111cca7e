package dev.strata.bench;

import dev.strata.StrataException;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 POST whose answer is read as server-sent events, on a plain blocking socket: the
 * reading thread is the one the kernel wakes when bytes arrive. The load test shares the machine
 * with the server it measures, and java.net.http passes every event through a selector thread and
 * an executor before the caller sees it: three threads woken per streamed token, each taking a CPU
 * from the server's compute threads. Here it is one. Handles Content-Length, chunked and
 * read-to-close bodies, and https through the default SSL socket factory.
 */
final class SseClient {
    static final int CONNECT_TIMEOUT_MILLIS = 5_000, READ_TIMEOUT_MILLIS = 600_000;

    private SseClient() {}

    /**
     * Sends {@code body} as JSON to {@code url}; returns the status. On 200 each "data: " line's payload goes to
     * {@code onData} as it arrives; other answers are read and dropped.
     */
    static int post(URI url, String apiKey, String body, Consumer<String> onData) throws IOException {
        boolean tls = "https".equalsIgnoreCase(url.getScheme());
        if (!tls && !"http".equalsIgnoreCase(url.getScheme())) throw new StrataException("not an http(s) URL: " + url);
        int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
        try (Socket socket = tls ? SSLSocketFactory.getDefault().createSocket() : new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(url.getHost(), port), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            byte[] payload = body.getBytes(StandardCharsets.UTF_8);
            String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            StringBuilder head = new StringBuilder().append("POST ").append(path).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(url.getHost()).append(url.getPort() > 0 ? ":" + port : "").append("\r\n")
                    .append("Content-Type: application/json\r\nAccept: text/event-stream\r\nConnection: close\r\n")
                    .append("Content-Length: ").append(payload.length).append("\r\n");
            if (apiKey != null) head.append("Authorization: Bearer ").append(apiKey).append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(payload);
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            String status = line(in);
            if (status == null || !status.startsWith("HTTP/1.")) throw new IOException("not an HTTP/1.x answer: " + status);
            int code = Integer.parseInt(status.split(" ", 3)[1]);
            long length = -1;
            boolean chunked = false;
            for (String h; (h = line(in)) != null && !h.isEmpty(); ) {
                int colon = h.indexOf(':');
                if (colon < 0) continue;
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT), value = h.substring(colon + 1).trim();
                if (name.equals("content-length")) length = Long.parseLong(value);
                if (name.equals("transfer-encoding")) chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            }
            // a sized body is not a stream that arrives piece by piece: read it whole
            InputStream bodyIn = chunked ? new Dechunked(in) : length >= 0 ? new ByteArrayInputStream(in.readNBytes((int) length)) : in;
            for (String l; (l = line(bodyIn)) != null; ) if (code == 200 && l.startsWith("data: ")) onData.accept(l.substring(6));
            return code;
        }
    }

    /** One line without its CR LF (UTF-8), or null at the end of the stream. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        int b;
        while ((b = in.read()) >= 0 && b != '\n') buf.write(b);
        if (b < 0 && buf.size() == 0) return null;
        int n = buf.size();
        byte[] bytes = buf.toByteArray();
        if (n > 0 && bytes[n - 1] == '\r') n--;
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    /** A chunked transfer-coded body (RFC 9112 section 7.1), ending at the zero-size chunk. */
    static final class Dechunked extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        Dechunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            if (done) return -1;
            if (left == 0) {
                String size = line(in);
                if (size != null && size.isEmpty()) size = line(in); // the CR LF that ends the previous chunk
                if (size == null) throw new IOException("the chunked body ended early");
                int semicolon = size.indexOf(';');
                left = Long.parseLong((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int b = in.read();
            if (b < 0) throw new IOException("the chunked body ended early");
            left--;
            return b;
        }
    }
}
