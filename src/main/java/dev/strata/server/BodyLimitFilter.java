package dev.strata.server;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;

/**
 * Enforces the body limit on every request, whatever its framing. Javalin checks only Content-Length, so a
 * chunked body used to be read whole into memory; here the stream itself stops at the limit with a 413.
 * A body that ends early or stalls past the idle timeout becomes a 400 instead of a 500.
 */
final class BodyLimitFilter implements Filter {
    /** Declared bodies up to this many times the limit are read and dropped so the client sees the 413. */
    private static final long DRAIN_FACTOR = 4;

    private final long limit;

    BodyLimitFilter(long limit) {
        this.limit = limit;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        long declared = http.getContentLengthLong();
        if (declared > limit && declared <= DRAIN_FACTOR * limit && http.getHeader("Expect") == null) drain(http, declared);
        chain.doFilter(new Bounded(http, limit), response);
    }

    /**
     * Reads and drops a declared body that is too large but not absurdly so, before the 413 is written. Jetty 12
     * closes a connection with unread request bytes at once, so a client that sends its whole body before reading
     * (as most do) got a broken pipe instead of the 413; Jetty 11 happened to read on. A stalled body still ends
     * at the idle timeout; bodies over DRAIN_FACTOR times the limit are not read at all.
     */
    private static void drain(HttpServletRequest request, long declared) {
        byte[] sink = new byte[64 << 10];
        try (var in = request.getInputStream()) {
            for (long left = declared; left > 0; ) {
                int n = in.read(sink, 0, (int) Math.min(sink.length, left));
                if (n < 0) break;
                left -= n;
            }
        } catch (IOException e) {
            // the client stopped sending or stalled: the 413 still goes out, the connection then closes
        }
    }

    static ApiException tooLarge(long limit) {
        return new ApiException(413, "invalid_request_error", "The request body is larger than the limit of " + limit
                + " bytes (--max-body-size)", null, "request_too_large");
    }

    private static final class Bounded extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        Bounded(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (getContentLengthLong() > limit) throw tooLarge(limit);
            if (stream == null) stream = new LimitedStream(super.getInputStream(), limit);
            return stream;
        }
    }

    private static final class LimitedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private long read;

        LimitedStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(b, off, (int) Math.min(len, limit - read + 1));
            } catch (IOException e) {
                throw new ApiException(400, "invalid_request_error", "The request body ended early or stalled after " + read
                        + " bytes (fewer than its Content-Length, or idle longer than --idle-timeout)", null, "incomplete_body");
            }
            if (n > 0 && (read += n) > limit) throw tooLarge(limit);
            return n;
        }

        @Override public boolean isFinished() { return in.isFinished(); }
        @Override public boolean isReady() { return in.isReady(); }
        @Override public void setReadListener(ReadListener listener) { in.setReadListener(listener); }
    }
}
