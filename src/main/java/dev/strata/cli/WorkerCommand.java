package dev.strata.cli;

import com.hazelcast.core.HazelcastInstance;
import dev.strata.research.cluster.ChunkScorer;
import dev.strata.research.cluster.ClusterMember;
import dev.strata.research.cluster.EngineChunkScorer;
import dev.strata.runtime.Engine;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Join a research cluster (strata research --cluster) and score the chunks it is sent. The model file named by the",
                "coordinator must exist at the same path here. Example: strata worker --join 127.0.0.1:5701"})
public final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--join", required = true, paramLabel = "HOST:PORT", description = "the coordinator's address")
    String join;

    @Option(names = "--host", paramLabel = "ADDR", description = "the address this member listens on (default: ${DEFAULT-VALUE})")
    String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "P", description = "the port this member listens on (default: the first free one from 5701)")
    int port;

    @Option(names = "--verbose", description = "show stack traces on errors")
    boolean verbose;

    @Override
    public Integer call() throws InterruptedException {
        ChunkScorer.Registry.factory(spec -> {
            Engine engine = Engine.open(Path.of(spec.model()), 1, spec.kernels());
            var task = EvalRunOptions.taskFactory(spec.task(), spec.minDifficulty(), spec.maxDifficulty(), spec.problems(), spec.seed()).apply(engine);
            return new EngineChunkScorer(engine, task, spec.seed(), 10);
        });
        HazelcastInstance hz = ClusterMember.start(host, port, join, ClusterMember.CLUSTER);
        System.err.printf("strata worker: member %s joined %s (%d members); waiting for chunks, Ctrl-C to leave%n",
                hz.getCluster().getLocalMember().getAddress(), join, hz.getCluster().getMembers().size());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            hz.shutdown();
            stopped.countDown();
        }, "strata-worker-shutdown"));
        stopped.await();
        return 0;
    }
}
