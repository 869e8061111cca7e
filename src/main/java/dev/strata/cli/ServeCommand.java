package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.runtime.Engine;
import dev.strata.model.DefaultModel;
import dev.strata.server.ServerConfig;
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

    @Option(names = "--plans", paramLabel = "FILE", description = "plans.json from strata research: requests may name one with \"plan\": \"NAME\"")
    java.nio.file.Path plans;

    static java.util.Map<String, ServerConfig.NamedPlan> namedPlans(java.nio.file.Path file) {
        java.util.Map<String, ServerConfig.NamedPlan> out = new java.util.LinkedHashMap<>();
        for (var p : dev.strata.research.Plans.read(file)) out.put(p.name(), new ServerConfig.NamedPlan(p.layers(), p.expertsPerToken()));
        return out;
    }

    @Override
    public Integer call() throws InterruptedException {
        model.applyPlan();
        if (model.model == null) model.model = DefaultModel.resolve();
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        ServerConfig config = new ServerConfig(host, port, parallel, queueSize, apiKey, model.contextSize, model.layers, model.expertsPerToken,
                plans == null ? null : namedPlans(plans));
        Engine engine = model.open();
        StrataServer server;
        try {
            server = new StrataServer(engine, config, System.err).start();
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
