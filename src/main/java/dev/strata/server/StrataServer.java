package dev.strata.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.StrataException;
import dev.strata.generate.DecodeLoop;
import dev.strata.weights.ModelFileChangedException;
import dev.strata.runtime.Engine;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;
import org.eclipse.jetty.ee10.servlet.FilterHolder;

/**
 * The OpenAI-compatible HTTP server around one {@link Engine}. Every request gets its own sequence; at most
 * {@code parallel} decode at once, a bounded queue waits, the rest get 503 with Retry-After.
 */
public final class StrataServer implements AutoCloseable {
    private static final String RETRY_AFTER_SECONDS = "1";

    private final Engine engine;
    private final ServerConfig config;
    private final ServerLimits limits;
    private final String modelId;
    private final ModelNames modelNames;
    private final int contextSize;
    private final SlotScheduler scheduler;
    private final ServerMetrics metrics = new ServerMetrics();
    private final CompletionHandler completions;
    private final DecodeLoop decodeLoop;
    private final PrintStream log;
    private final long createdSeconds = System.currentTimeMillis() / 1000;
    /** /v1 exchanges whose response is not yet written: a slot is freed before Javalin writes the answer. */
    private final OpenExchangeFilter openExchanges = new OpenExchangeFilter();
    private Javalin app;

    public StrataServer(Engine engine, ServerConfig config, PrintStream log) {
        this(engine, config, ServerLimits.defaults(), log);
    }

    public StrataServer(Engine engine, ServerConfig config, ServerLimits limits, PrintStream log) {
        this.engine = engine;
        this.config = config;
        this.limits = limits;
        this.log = log;
        this.modelNames = ModelNames.of(engine.path().getFileName().toString(), modelId(engine), config.alias(), config.strictModelName());
        this.modelId = modelNames.id();
        int modelContext = engine.model().config().contextLength();
        this.contextSize = config.contextSize() > 0 ? config.contextSize() : Math.min(modelContext > 0 ? modelContext : 4096, 4096);
        this.scheduler = new SlotScheduler(config.parallel(), config.queueSize());
        this.decodeLoop = new DecodeLoop(engine, UBATCH);
        this.completions = new CompletionHandler(engine, modelNames, contextSize, config, scheduler, metrics, decodeLoop,
                limits.parseSpecialInContent());
    }

    /** Prompt tokens prefilled per decode step, over all joining requests (llama-server's default -ub). */
    static final int UBATCH = 512;

    /** The file's id: its name without .gguf (clients see the alias instead when one is set). */
    public static String modelId(Engine engine) {
        String name = engine.path().getFileName().toString();
        return name.toLowerCase(Locale.ROOT).endsWith(".gguf") ? name.substring(0, name.length() - 5) : name;
    }

    public String modelId() { return modelId; }
    public int contextSize() { return contextSize; }

    public StrataServer start() {
        app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.startupWatcherEnabled = false;
            c.http.compressionStrategy = CompressionStrategy.NONE;
            c.http.maxRequestSize = limits.maxBodyBytes();
            c.requestLogger.http(this::logRequest);
            c.jetty.modifyHttpConfiguration(http -> http.setIdleTimeout(limits.idleTimeout().toMillis()));
            c.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            c.jetty.modifyServletContextHandler(handler -> {
                handler.setErrorHandler(new JsonErrorHandler());
                handler.addFilter(new FilterHolder(openExchanges), "/*", java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
                handler.addFilter(new FilterHolder(new BodyLimitFilter(limits.maxBodyBytes())), "/*",
                        java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
            });
            routes(c.routes);
        });
        app.start(config.host(), config.port());
        return this;
    }

    private void routes(RoutesConfig routes) {
        routes.before(this::authenticate);
        if (engine.model().store().file().isMapped() && engine.path() != null) {
            ModelFileWatch watch = new ModelFileWatch(engine.path(), log);
            routes.before("/v1/chat/completions", watch::check);
            routes.before("/v1/completions", watch::check);
        }
        routes.post("/v1/chat/completions", completions::chat);
        routes.post("/v1/completions", completions::completion);
        routes.get("/v1/models", this::models);
        routes.get("/v1/models/{id}", this::model);
        routes.get("/health", ctx -> ctx.json(java.util.Map.of("status", "ok")));
        routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.render(scheduler, config.parallel())
                + ServerMetrics.renderDecode(decodeLoop.steps(), decodeLoop.stepSequences())));
        routes.post("/tokenize", this::tokenize);
        routes.post("/detokenize", this::detokenize);
        routes.exception(ApiException.class, (e, ctx) -> writeError(ctx, e));
        routes.exception(HttpResponseException.class, (e, ctx) -> writeError(ctx, switch (e.getStatus()) {
            case 404 -> ApiException.notFound(ctx.method() + " " + ctx.path());
            case 413 -> BodyLimitFilter.tooLarge(limits.maxBodyBytes());
            default -> new ApiException(e.getStatus(), "invalid_request_error", e.getMessage(), null, null);
        }));
        routes.exception(StrataException.class, (e, ctx) -> writeError(ctx, ApiException.invalidRequest(e.getMessage(), null)));
        routes.exception(ModelFileChangedException.class, (e, ctx) -> {
            log.println("strata serve: " + e.getMessage());
            writeError(ctx, new ApiException(503, "server_error", e.getMessage(), null, "model_file_changed"));
        });
        routes.exception(Exception.class, (e, ctx) -> {
            log.println("strata serve: internal error on " + ctx.method() + " " + ctx.path() + ": " + e);
            writeError(ctx, new ApiException(500, "server_error", "Internal server error", null, null));
        });
        routes.error(404, ctx -> {
            if (ctx.result() == null || !ctx.result().startsWith("{\"error\"")) writeError(ctx, ApiException.notFound(ctx.method() + " " + ctx.path()));
        });
    }

    public int port() {
        return app.port();
    }

    /** Stops taking requests (503), waits up to grace for in-flight ones to finish, then closes the listener. */
    public void stop(Duration grace) {
        scheduler.drain();
        long deadline = System.nanoTime() + grace.toNanos();
        while ((scheduler.inFlight() > 0 || openExchanges.open() > 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (app != null) app.stop();
        decodeLoop.close();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }

    private void authenticate(Context ctx) {
        if (config.apiKey() == null || ctx.path().equals("/health")) return;
        String header = ctx.header("Authorization");
        String expected = "Bearer " + config.apiKey();
        if (header == null || !MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
            throw ApiException.unauthorized();
        }
    }

    private void models(Context ctx) {
        ObjectNode body = JsonFields.MAPPER.createObjectNode().put("object", "list");
        body.putArray("data").add(modelObject());
        ctx.contentType("application/json").result(body.toString());
    }

    /** GET /v1/models/{id}: the model under any name it answers to, else 404 model_not_found. */
    private void model(Context ctx) {
        String id = ctx.pathParam("id");
        if (!modelNames.answersTo(id)) {
            throw new ApiException(404, "invalid_request_error", "The model '" + id + "' does not exist", "model", "model_not_found");
        }
        ctx.contentType("application/json").result(modelObject().toString());
    }

    private ObjectNode modelObject() {
        ObjectNode model = JsonFields.MAPPER.createObjectNode().put("id", modelId).put("object", "model").put("created", createdSeconds)
                .put("owned_by", "strata");
        model.putObject("meta").put("n_ctx", contextSize).put("n_vocab", engine.tokenizer().vocab().size());
        return model;
    }

    private void tokenize(Context ctx) {
        ObjectNode body = JsonFields.parseObject(ctx.body());
        String content = JsonFields.string(body, "content");
        if (content == null) throw ApiException.invalidRequest("'content' is required and must be a string", "content");
        boolean addSpecial = Boolean.TRUE.equals(JsonFields.bool(body, "add_special"));
        boolean parseSpecial = !Boolean.FALSE.equals(JsonFields.bool(body, "parse_special"));
        ArrayNode tokens = JsonFields.MAPPER.createArrayNode();
        for (int id : engine.tokenizer().encode(content, addSpecial, parseSpecial)) tokens.add(id);
        ObjectNode out = JsonFields.MAPPER.createObjectNode();
        out.set("tokens", tokens);
        ctx.contentType("application/json").result(out.toString());
    }

    private void detokenize(Context ctx) {
        ObjectNode body = JsonFields.parseObject(ctx.body());
        JsonNode tokens = body.get("tokens");
        if (tokens == null || !tokens.isArray()) throw ApiException.invalidRequest("'tokens' is required and must be an array of integers", "tokens");
        int vocabSize = engine.tokenizer().vocab().size();
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode t = tokens.get(i);
            if (!t.isIntegralNumber() || t.asLong() < 0 || t.asLong() >= vocabSize) {
                throw ApiException.invalidRequest("'tokens[" + i + "]' must be a token id in 0.." + (vocabSize - 1), "tokens");
            }
            ids[i] = t.asInt();
        }
        ObjectNode out = JsonFields.MAPPER.createObjectNode().put("content", engine.tokenizer().decode(ids));
        ctx.contentType("application/json").result(out.toString());
    }

    private static void writeError(Context ctx, ApiException e) {
        ObjectNode body = JsonFields.MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error").put("message", e.getMessage()).put("type", e.type());
        if (e.param() == null) error.putNull("param"); else error.put("param", e.param());
        if (e.code() == null) error.putNull("code"); else error.put("code", e.code());
        if (e.status() == 503) ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        if (e.status() == 401) ctx.header("WWW-Authenticate", "Bearer");
        ctx.status(e.status()).contentType("application/json").result(body.toString());
    }

    private void logRequest(Context ctx, Float millis) {
        int status = ctx.statusCode();
        metrics.recordRequest(RouteLabel.of(ctx), status);
        Integer tokens = ctx.attribute(CompletionHandler.TOKENS_ATTRIBUTE);
        String cancelled = ctx.attribute(CompletionHandler.CANCELLED_ATTRIBUTE) != null ? " (client disconnected)" : "";
        log.printf(Locale.ROOT, "%s %s %d %.1fms %d tokens%s%n", ctx.method(), ctx.path(), status, millis, tokens == null ? 0 : tokens, cancelled);
    }
}
