package dev.strata.server;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts API exchanges until their response has reached the connection, so a graceful stop waits for it:
 * Jetty 12 calls Javalin's request logger before the response is flushed, and stopping the server then cut
 * a finished non-streaming answer off (the client read EOF).
 */
final class OpenExchangeFilter implements Filter {
    private final AtomicInteger open = new AtomicInteger();

    int open() {
        return open.get();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !http.getRequestURI().startsWith("/v1/")) {
            chain.doFilter(request, response);
            return;
        }
        open.incrementAndGet();
        try {
            chain.doFilter(request, response);
            if (!request.isAsyncStarted()) response.flushBuffer();
        } finally {
            open.decrementAndGet();
        }
    }
}
