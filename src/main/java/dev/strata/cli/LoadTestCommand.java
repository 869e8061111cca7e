package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.bench.ServeLoad;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "loadtest", mixinStandardHelpOptions = true,
        description = {"Load-test a running server (strata serve or any OpenAI-compatible one) with concurrent streaming clients:",
                "aggregate tokens/s, p50/p99 time to first token and inter-token latency."})
public final class LoadTestCommand implements Callable<Integer> {
    @Option(names = "--url", paramLabel = "URL", description = "server base URL (default: ${DEFAULT-VALUE})")
    String url = "http://127.0.0.1:8080";

    @Option(names = "--api-key", paramLabel = "KEY", description = "bearer token, if the server wants one (default: none)")
    String apiKey;

    @Option(names = "--clients", paramLabel = "N", description = "concurrent streaming clients (default: ${DEFAULT-VALUE})")
    int clients = 8;

    @Option(names = "--requests", paramLabel = "N", description = "requests per client, one after another (default: ${DEFAULT-VALUE})")
    int requests = 2;

    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", description = "prompt of every request (default: ${DEFAULT-VALUE})")
    String prompt = "Once upon a time";

    @Option(names = {"-n", "--max-tokens"}, paramLabel = "N", description = "tokens per request (default: ${DEFAULT-VALUE})")
    int maxTokens = 64;

    @Option(names = "--temp", paramLabel = "T", description = "temperature (default: ${DEFAULT-VALUE})")
    double temperature = 0;

    @Option(names = "--warmup-tokens", paramLabel = "N", description = "each client first streams one unmeasured request of N tokens, so the"
            + " load generator's start-up and the server's first compilation stay out of the measured time; 0: none (default: ${DEFAULT-VALUE})")
    int warmupTokens = 16;

    @Override
    public Integer call() {
        if (clients < 1 || requests < 1 || maxTokens < 1) throw new StrataException("--clients, --requests and --max-tokens must be at least 1");
        if (warmupTokens < 0) throw new StrataException("--warmup-tokens must be 0 or more, got " + warmupTokens);
        ServeLoad.Result r = ServeLoad.run(new ServeLoad.Config(url.replaceAll("/+$", ""), apiKey, clients, requests, prompt, maxTokens,
                temperature, warmupTokens));
        System.out.printf(Locale.ROOT, "| clients | requests | failed | tokens | wall s | aggregate t/s | TTFT p50 ms | TTFT p99 ms | ITL p50 ms | ITL p99 ms |%n");
        System.out.printf(Locale.ROOT, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n");
        System.out.printf(Locale.ROOT, "| %d | %d | %d | %d | %.2f | %.2f | %.1f | %.1f | %.1f | %.1f |%n", r.clients(), r.requests(), r.failed(),
                r.tokens(), r.wallSeconds(), r.tokensPerSecond(), 1e3 * ServeLoad.Result.percentile(r.ttft(), 50),
                1e3 * ServeLoad.Result.percentile(r.ttft(), 99), 1e3 * ServeLoad.Result.percentile(r.itl(), 50),
                1e3 * ServeLoad.Result.percentile(r.itl(), 99));
        return r.failed() == 0 ? 0 : 1;
    }
}
