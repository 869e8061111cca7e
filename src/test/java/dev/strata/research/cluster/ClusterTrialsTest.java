package dev.strata.research.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.core.HazelcastInstance;
import dev.strata.eval.EvalItem;
import dev.strata.eval.Variant;
import dev.strata.eval.ledger.Ledger;
import dev.strata.eval.ledger.LedgerEntry;
import dev.strata.research.ResearchLoop;
import dev.strata.research.ResultsLog;
import dev.strata.research.SyntheticTrialsAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The research loop on 1, 2 and 3 embedded Hazelcast members on loopback (one JVM, separate
 * instances), with one member terminated mid-run in the 3-member case: results.tsv must be the
 * same byte for byte, and the coordinator's ledger must hold every (variant, item) exactly once.
 */
class ClusterTrialsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path temp;

    @Test
    void sameDecisionsOnOneTwoAndThreeMembersWithOneKilledMidRun() throws Exception {
        String one = run(1, false), two = run(2, false), three = run(3, true);
        assertEquals(one, two);
        assertEquals(one, three);
        assertTrue(one.contains("\tkeep\t"), "the better variant is kept: " + one);
    }

    private String run(int members, boolean killOne) throws Exception {
        var trials = SyntheticTrialsAccess.trials(300, 11);
        String cluster = "strata-test-" + UUID.randomUUID();
        String runId = "run-" + members;
        List<HazelcastInstance> all = new ArrayList<>();
        HazelcastInstance coordinator = ClusterMember.start("127.0.0.1", 0, null, cluster);
        all.add(coordinator);
        String join = "127.0.0.1:" + coordinator.getCluster().getLocalMember().getAddress().getPort();
        for (int i = 1; i < members; i++) all.add(ClusterMember.start("127.0.0.1", 0, join, cluster));
        AtomicInteger chunks = new AtomicInteger();
        Map<String, EvalItem> byId = new HashMap<>();
        for (EvalItem it : trials.items()) byId.put(it.id(), it);
        ChunkScorer.Registry.register(runId, (variant, ids) -> {
            if (killOne && chunks.incrementAndGet() == 12) Thread.ofPlatform().start(() -> all.get(2).getLifecycleService().terminate());
            sleep(killOne ? 15 : 2);
            List<LedgerEntry> out = new ArrayList<>();
            for (String id : ids) out.add(SyntheticTrialsAccess.entry(trials, Variant.parse(variant), byId.get(id)));
            return out;
        });
        try {
            assertEquals(members, coordinator.getCluster().getMembers().size());
            Path out = temp.resolve("members-" + members);
            var spec = new RunSpec(runId, "synthetic", "synthetic", 0, null, null, 11, "none", 1);
            var clustered = new ClusterTrials(trials, coordinator, spec, 8, 2);
            new ResearchLoop(clustered, SyntheticTrialsAccess.settings(11, out)).run();
            if (killOne) assertEquals(2, coordinator.getCluster().getMembers().size(), "one member was killed mid-run");
            Map<String, Integer> lines = new HashMap<>();
            for (String line : Files.readAllLines(out.resolve(Ledger.FILE))) {
                JsonNode n = JSON.readTree(line);
                if (n.get("type").asText().equals("item")) lines.merge(n.get("variant_hash").asText() + " " + n.get("item").asText(), 1, Integer::sum);
            }
            assertTrue(lines.values().stream().allMatch(c -> c == 1), "no duplicates in the ledger");
            return Files.readString(out.resolve(ResultsLog.FILE));
        } finally {
            ChunkScorer.Registry.unregister(runId);
            for (HazelcastInstance h : all) if (h.getLifecycleService().isRunning()) h.getLifecycleService().terminate();
        }
    }

    private static void sleep(int ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
