package dev.strata.server;

import dev.strata.StrataException;
import java.time.Duration;

/**
 * Resource bounds and input trust of one server, each with a flag: the largest request body (Content-Length or
 * chunked), how long a connection may sit without sending or taking bytes, and whether special-token text inside
 * message content is parsed as special tokens (llama.cpp's way).
 */
public record ServerLimits(long maxBodyBytes, Duration idleTimeout, boolean parseSpecialInContent) {
    public static final long DEFAULT_MAX_BODY_BYTES = 8L << 20;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);

    public ServerLimits {
        if (maxBodyBytes < 1) throw new StrataException("--max-body-size must be >= 1 byte, got " + maxBodyBytes);
        if (idleTimeout.isNegative() || idleTimeout.isZero()) throw new StrataException("--idle-timeout must be positive, got " + idleTimeout);
    }

    public static ServerLimits defaults() {
        return new ServerLimits(DEFAULT_MAX_BODY_BYTES, DEFAULT_IDLE_TIMEOUT, false);
    }

    public ServerLimits withMaxBodyBytes(long bytes) {
        return new ServerLimits(bytes, idleTimeout, parseSpecialInContent);
    }

    public ServerLimits withIdleTimeout(Duration timeout) {
        return new ServerLimits(maxBodyBytes, timeout, parseSpecialInContent);
    }

    public ServerLimits withParseSpecialInContent(boolean parse) {
        return new ServerLimits(maxBodyBytes, idleTimeout, parse);
    }
}
