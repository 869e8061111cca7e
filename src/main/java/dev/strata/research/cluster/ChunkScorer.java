package dev.strata.research.cluster;

import dev.strata.eval.ledger.LedgerEntry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What a member runs for a chunk: the entries of one variant on a list of item ids. Each member
 * JVM keeps its scorers by run id; a member that has none builds one from the run's spec with the
 * factory its command installed (a worker opens the model and the task named in the spec).
 */
public interface ChunkScorer {
    List<LedgerEntry> score(String variant, List<String> itemIds);

    /** Scorers of this JVM, by run id. */
    final class Registry {
        private static final Map<String, ChunkScorer> SCORERS = new ConcurrentHashMap<>();
        private static volatile Function<RunSpec, ChunkScorer> factory;

        private Registry() {}

        public static void register(String runId, ChunkScorer scorer) {
            SCORERS.put(runId, scorer);
        }

        public static void unregister(String runId) {
            SCORERS.remove(runId);
        }

        public static void factory(Function<RunSpec, ChunkScorer> f) {
            factory = f;
        }

        static ChunkScorer forRun(RunSpec spec) {
            return SCORERS.computeIfAbsent(spec.runId(), id -> {
                if (factory == null) throw new IllegalStateException("this member cannot score run " + id + ": no scorer factory");
                return factory.apply(spec);
            });
        }
    }
}
