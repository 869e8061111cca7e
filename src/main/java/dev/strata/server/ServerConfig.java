package dev.strata.server;

import dev.strata.StrataException;
import java.util.Map;

/**
 * How the server listens and schedules: {@code parallel} decode slots share the one engine, at most
 * {@code queueSize} more requests wait for a slot, the rest get 503. apiKey null = no auth.
 * contextSize 0 = the model's (at most 4096); layers and expertsPerToken are the defaults a request may override.
 * alias (null = none) is the model's id in responses; with strictModelName a request's "model" must be one of its names.
 * plans: what a request may name with {@code "plan"} (from {@code serve --plans FILE}); empty = none.
 */
public record ServerConfig(String host, int port, int parallel, int queueSize, String apiKey, int contextSize,
                           String layers, int expertsPerToken, String alias, boolean strictModelName, Map<String, NamedPlan> plans) {
    /** A plan a request can select by name: a layer path (null = the model's) and experts per token (0 = the model's). */
    public record NamedPlan(String layers, int expertsPerToken) {}

    public ServerConfig {
        plans = plans == null ? Map.of() : Map.copyOf(plans);
        if (host == null || host.isBlank()) throw new StrataException("--host must not be empty");
        if (port < 0 || port > 65535) throw new StrataException("--port must be 0..65535, got " + port);
        if (parallel < 1) throw new StrataException("--parallel must be >= 1, got " + parallel);
        if (queueSize < 0) throw new StrataException("--queue-size must be >= 0, got " + queueSize);
        if (contextSize < 0) throw new StrataException("context size must be positive, got " + contextSize);
        if (apiKey != null && apiKey.isBlank()) apiKey = null;
        if (alias != null && alias.isBlank()) alias = null;
    }

    public ServerConfig(String host, int port, int parallel, int queueSize, String apiKey, int contextSize, String layers, int expertsPerToken) {
        this(host, port, parallel, queueSize, apiKey, contextSize, layers, expertsPerToken, null, false, Map.of());
    }

    public ServerConfig withModelName(String newAlias, boolean strict) {
        return new ServerConfig(host, port, parallel, queueSize, apiKey, contextSize, layers, expertsPerToken, newAlias, strict, plans);
    }

    public ServerConfig withPlans(Map<String, NamedPlan> named) {
        return new ServerConfig(host, port, parallel, queueSize, apiKey, contextSize, layers, expertsPerToken, alias, strictModelName, named);
    }

    public static ServerConfig loopback(int port, int parallel, int queueSize) {
        return new ServerConfig("127.0.0.1", port, parallel, queueSize, null, 0, null, 0);
    }

    public ServerConfig withApiKey(String key) {
        return new ServerConfig(host, port, parallel, queueSize, key, contextSize, layers, expertsPerToken, alias, strictModelName, plans);
    }

    public ServerConfig withContextSize(int size) {
        return new ServerConfig(host, port, parallel, queueSize, apiKey, size, layers, expertsPerToken, alias, strictModelName, plans);
    }
}
