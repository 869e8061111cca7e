package dev.strata.research.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import dev.strata.StrataException;
import dev.strata.eval.EvalItem;
import dev.strata.eval.Variant;
import dev.strata.eval.ledger.Ledger;
import dev.strata.eval.ledger.LedgerEntry;
import dev.strata.eval.ledger.LedgerHeader;
import dev.strata.eval.ledger.LedgerHeader.VariantInfo;
import dev.strata.research.Trials;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Trials spread over a Hazelcast cluster. Pending (variant, item) pairs are cut into chunks keyed
 * by (variant, item range); each member runs at most {@code perMember} chunks at a time and sends
 * back ledger lines, which this process, the coordinator, alone appends to the ledger. A chunk
 * whose member leaves is sent to another member; the ledger keeps the first line per (variant,
 * item), so a chunk that ran twice adds nothing twice and none is lost.
 */
public final class ClusterTrials implements Trials {
    private final Trials local;
    private final HazelcastInstance hz;
    private final RunSpec spec;
    private final int chunkSize;
    private final int perMember;

    /** {@code local} answers items, describe, header and shape; its chunks run through the scorer registered for the run id on each member. */
    public ClusterTrials(Trials local, HazelcastInstance hz, RunSpec spec, int chunkSize, int perMember) {
        if (chunkSize < 1) throw new StrataException("--chunk must be at least 1, got " + chunkSize);
        this.local = local;
        this.hz = hz;
        this.spec = spec;
        this.chunkSize = chunkSize;
        this.perMember = Math.max(1, perMember);
    }

    @Override
    public String taskName() {
        return local.taskName();
    }

    @Override
    public List<EvalItem> items() {
        return local.items();
    }

    @Override
    public VariantInfo describe(Variant v) {
        return local.describe(v);
    }

    @Override
    public LedgerHeader header(String run, int items, List<VariantInfo> variants) {
        return local.header(run, items, variants);
    }

    @Override
    public int[] shape() {
        return local.shape();
    }

    @Override
    public void score(List<Variant> variants, List<EvalItem> items, Ledger ledger) {
        Deque<ScoreChunk> todo = new ArrayDeque<>();
        for (Variant v : variants) {
            List<String> pending = items.stream().filter(it -> !ledger.has(v.hash(), it.id())).map(EvalItem::id).toList();
            for (int from = 0; from < pending.size(); from += chunkSize)
                todo.add(new ScoreChunk(spec, v.canonical(), List.copyOf(pending.subList(from, Math.min(pending.size(), from + chunkSize)))));
        }
        IExecutorService exec = hz.getExecutorService("strata-research-" + spec.runId());
        Map<ScoreChunk, Future<List<String>>> running = new HashMap<>();
        Map<ScoreChunk, Member> where = new HashMap<>();
        try {
            while (!todo.isEmpty() || !running.isEmpty()) {
                for (Member m : hz.getCluster().getMembers()) {
                    long busy = where.values().stream().filter(m::equals).count();
                    for (long i = busy; i < perMember && !todo.isEmpty(); i++) {
                        ScoreChunk c = todo.poll();
                        running.put(c, exec.submitToMember(c, m));
                        where.put(c, m);
                    }
                }
                for (ScoreChunk c : new ArrayList<>(running.keySet())) {
                    try {
                        List<String> lines = running.get(c).get(20, TimeUnit.MILLISECONDS);
                        List<LedgerEntry> entries = new ArrayList<>();
                        for (String line : lines) entries.add(ScoreChunk.JSON.readValue(line, LedgerEntry.class));
                        ledger.append(entries);
                        running.remove(c);
                        where.remove(c);
                    } catch (TimeoutException e) {
                        // still running
                    } catch (ExecutionException e) {
                        if (!memberGone(e.getCause()) && hz.getCluster().getMembers().contains(where.get(c)))
                            throw new StrataException("chunk " + c.key() + " failed: " + e.getCause(), e.getCause());
                        running.remove(c);
                        where.remove(c);
                        todo.addFirst(c); // its member left: run it elsewhere
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException("interrupted");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new StrataException("a member sent a bad ledger line: " + e.getMessage(), e);
        }
    }

    private static boolean memberGone(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause())
            if (c instanceof MemberLeftException || c instanceof HazelcastInstanceNotActiveException || c instanceof TargetNotMemberException) return true;
        return false;
    }
}
