package dev.strata.cli;

import dev.strata.weights.StreamingOptions;
import picocli.CommandLine.Option;

/** The expert-streaming flags shared by generate, chat, serve and bench. */
public final class StreamingFlags {
    @Option(names = "--memory-budget", paramLabel = "SIZE", description = "MoE: keep weights within SIZE (e.g. 2G, 512M): non-expert weights mapped, experts streamed from disk into a bounded cache")
    public String memoryBudget;

    @Option(names = "--cache-policy", paramLabel = "NAME", description = "expert cache eviction with --memory-budget: lru or lfu (default: lru)")
    public String cachePolicy = "lru";

    @Option(names = "--no-prefetch", description = "with --memory-budget: do not read the next layer's predicted experts ahead")
    public boolean noPrefetch;

    @Option(names = "--direct-io", description = "with --memory-budget: read experts with O_DIRECT, bypassing the page cache")
    public boolean directIo;

    @Option(names = "--io-threads", paramLabel = "N", description = "with --memory-budget: threads issuing expert reads (default: 8)")
    public int ioThreads = 8;

    @Option(names = "--read-advice", paramLabel = "NAME", description = "with --memory-budget, buffered reads: random (posix_fadvise RANDOM: no kernel read-ahead) or normal (default: random)")
    public String readAdvice = "random";

    /** The streaming options, or null to map the whole file. */
    public StreamingOptions options() {
        if (memoryBudget == null) {
            if (directIo) throw new dev.strata.StrataException("--direct-io needs --memory-budget");
            return null;
        }
        return StreamingOptions.of(memoryBudget, cachePolicy, !noPrefetch, directIo, ioThreads, readAdvice);
    }
}
