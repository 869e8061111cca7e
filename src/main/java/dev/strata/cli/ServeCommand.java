package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.runtime.Engine;
import dev.strata.model.DefaultModel;
import dev.strata.server.ServerConfig;
import dev.strata.server.ServerLimits;
import dev.strata.server.StrataServer;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the model over an OpenAI-compatible HTTP API (/v1/chat/completions, /v1/completions, /v1/models).")
public final class ServeCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Option(names = "--host", paramLabel = "ADDR", description = "address to listen on (default: 127.0.0.1)")
    String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "N", description = "port to listen on (default: 8080)")
    int port = 8080;

    @Option(names = {"-np", "--parallel"}, paramLabel = "N", description = "requests decoded at once (default: 1)")
    int parallel = 1;

    @Option(names = "--queue-size", paramLabel = "N", description = "requests waiting for a slot before 503 (default: 64)")
    int queueSize = 64;

    @Option(names = "--api-key", paramLabel = "KEY", description = "require 'Authorization: Bearer KEY' (default: no auth)")
    String apiKey;

    @Option(names = "--shutdown-grace", paramLabel = "SECONDS", description = "on SIGTERM, how long in-flight requests may finish (default: 30)")
    int shutdownGraceSeconds = 30;

    @Option(names = {"-a", "--alias"}, paramLabel = "NAME", description = "the model's id in /v1/models and responses (default: the file name without .gguf)")
    String alias;

    @Option(names = "--strict-model-name", description = "answer only requests whose \"model\" is the id, the file name or the alias (default: any name, as llama-server)")
    boolean strictModelName;

    @Option(names = "--max-body-size", paramLabel = "BYTES", description = "largest request body, chunked or not; larger ones get 413 (default: 8388608)")
    long maxBodyBytes = ServerLimits.DEFAULT_MAX_BODY_BYTES;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", description = "close a connection that sends or takes no bytes for this long, e.g. a body shorter than its Content-Length (default: 10)")
    int idleTimeoutSeconds = (int) ServerLimits.DEFAULT_IDLE_TIMEOUT.toSeconds();

    /** A bad address is named as such; Jetty would report it as "port already in use". */
    static void checkHost(String host) {
        try {
            java.net.InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            throw new StrataException("--host " + host + ": not a valid IP address or a known host name");
        }
    }

    @Option(names = "--parse-special-in-content", description = "parse special-token text such as <|im_end|> inside chat message content as control tokens, as llama-server does (default: content is plain text)")
    boolean parseSpecialInContent;

    @Option(names = "--plans", paramLabel = "FILE", description = "plans.json from strata research: requests may name one with \"plan\": \"NAME\"")
    java.nio.file.Path plans;

    static java.util.Map<String, ServerConfig.NamedPlan> namedPlans(java.nio.file.Path file) {
        java.util.Map<String, ServerConfig.NamedPlan> out = new java.util.LinkedHashMap<>();
        for (var p : dev.strata.research.Plans.read(file)) {
            if (p.quant() != null) { // a request cannot swap the weights; the whole server can
                System.err.println("strata serve: plan " + p.name() + " sets weight types (" + p.quant() + "); serve it with --plan " + file + "#" + p.name());
                continue;
            }
            out.put(p.name(), new ServerConfig.NamedPlan(p.layers(), p.expertsPerToken()));
        }
        return out;
    }

    @Override
    public Integer call() throws InterruptedException {
        model.applyPlan();
        if (model.model == null) model.model = DefaultModel.resolve();
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        ServerConfig config = new ServerConfig(host, port, parallel, queueSize, apiKey, model.contextSize, model.layers, model.expertsPerToken,
                alias, strictModelName, plans == null ? null : namedPlans(plans));
        checkHost(host);
        ServerLimits limits = ServerLimits.defaults().withMaxBodyBytes(maxBodyBytes).withIdleTimeout(Duration.ofSeconds(idleTimeoutSeconds))
                .withParseSpecialInContent(parseSpecialInContent);
        Engine engine = model.open();
        StrataServer server;
        try {
            server = new StrataServer(engine, config, limits, System.err).start();
        } catch (RuntimeException e) {
            engine.close();
            throw new StrataException("cannot listen on " + host + ":" + port + ": " + Main.oneLine(e.getMessage()), e);
        }
        System.err.printf("strata serve: %s on http://%s:%d/v1 (context %d, %d slot%s, queue %d%s)%n", server.modelId(), host,
                server.port(), server.contextSize(), parallel, parallel == 1 ? "" : "s", queueSize, apiKey == null ? "" : ", API key required");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("strata serve: shutting down, finishing in-flight requests");
            server.stop(Duration.ofSeconds(shutdownGraceSeconds));
            engine.close();
            stopped.countDown();
        }, "strata-shutdown"));
        stopped.await();
        return 0;
    }
}
