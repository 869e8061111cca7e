package dev.strata.server;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import java.util.Set;

/**
 * The metrics label of a request: the route template it matched, or "unmatched". Raw paths are attacker-chosen,
 * so labelling by them grew /metrics without bound (4,000 random paths made it 16 MB).
 */
final class RouteLabel {
    static final String UNMATCHED = "unmatched";
    static final Set<String> ROUTES = Set.of("/v1/chat/completions", "/v1/completions", "/v1/models", "/health", "/metrics",
            "/tokenize", "/detokenize");

    private RouteLabel() {}

    static String of(Context ctx) {
        Endpoint endpoint;
        try {
            endpoint = ctx.endpoints().matchedHttpEndpoint();
        } catch (RuntimeException e) {
            return UNMATCHED;
        }
        return endpoint != null && ROUTES.contains(endpoint.path) ? endpoint.path : UNMATCHED;
    }
}
