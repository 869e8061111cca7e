package dev.strata.research;

import dev.strata.StrataException;
import dev.strata.eval.EvalItem;
import dev.strata.eval.RunEnvironment;
import dev.strata.eval.Variant;
import dev.strata.eval.ledger.Ledger;
import dev.strata.eval.ledger.LedgerEntry;
import dev.strata.eval.ledger.LedgerHeader;
import dev.strata.eval.ledger.LedgerHeader.VariantInfo;
import dev.strata.eval.stats.McNemar;
import dev.strata.eval.stats.PairedBootstrap;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The research loop: a coarse sweep of every candidate on a small search sample, successive
 * halving that gives the leaders more search items, then one scoring of the finalists on the
 * sealed held-out split, where {@link DecisionRule} decides keep or discard. Every trial goes
 * through the eval ledger and every decision into {@code results.tsv}; both are append-only and a
 * pure function of the configuration and the ledger, so {@code resume} after a kill -9 re-derives
 * the same decisions and repeats no trial.
 */
public final class ResearchLoop {
    /**
     * firstItems: search items per candidate in the sweep; eta: halving factor (leaders get eta times
     * more items, 1/eta of the candidates survive a round); heldOutLimit 0 = every held-out item;
     * budget null = none (a budget that runs out ends the halving early, which makes decisions
     * depend on speed).
     */
    public record Settings(Variant baseline, List<Variant> candidates, double heldOutFraction, long seed, int firstItems, int eta,
            int finalists, int heldOutLimit, DecisionRule rule, Duration budget, Path out, boolean resume, String commit) {
        public Settings {
            candidates = List.copyOf(candidates);
            if (firstItems < 2) throw new StrataException("--search-items must be at least 2, got " + firstItems);
            if (eta < 2) throw new StrataException("--eta must be at least 2, got " + eta);
            if (finalists < 1) throw new StrataException("--finalists must be at least 1, got " + finalists);
            if (heldOutLimit < 0) throw new StrataException("--heldout-limit must be 0 (all) or more, got " + heldOutLimit);
        }

        /** Everything that decides which trials run and what is decided; a resumed run must match it. */
        String fingerprint(String task) {
            return String.format(Locale.ROOT, "research:%s|baseline=%s|heldout=%s|seed=%d|first=%d|eta=%d|finalists=%d|limit=%d|%s|alpha=%s", task,
                    baseline.canonical(), heldOutFraction, seed, firstItems, eta, finalists, heldOutLimit, rule.correction(), rule.alpha());
        }
    }

    /**
     * For a research run's ledger, which items are on the sealed held-out split (read back from the
     * {@link Settings#fingerprint} in the header's task); null when the ledger is not a research run's.
     */
    public static Predicate<String> heldOutItems(String ledgerTask) {
        if (!ledgerTask.startsWith("research:")) return null;
        String fraction = null, seed = null;
        for (String field : ledgerTask.split("\\|")) {
            if (field.startsWith("heldout=")) fraction = field.substring("heldout=".length());
            else if (field.startsWith("seed=")) seed = field.substring("seed=".length());
        }
        if (fraction == null || seed == null) throw new StrataException("research ledger task without heldout= and seed=: " + ledgerTask);
        try {
            double f = Double.parseDouble(fraction);
            long sd = Long.parseLong(seed);
            return id -> SealedSplit.heldOut(sd, f, id);
        } catch (NumberFormatException e) {
            throw new StrataException("research ledger task with a bad heldout= or seed=: " + ledgerTask);
        }
    }

    /** What the run decided: every results row, the sweep (round 0: the baseline, then every candidate), and where plans went. */
    public record Result(List<Decision> decisions, List<Decision> scan, Map<String, VariantInfo> infos, int searchItems, int heldOutItems,
            Path plans) {
        public List<Decision> kept() {
            return decisions.stream().filter(Decision::kept).toList();
        }
    }

    private final Trials trials;
    private final Settings s;

    public ResearchLoop(Trials trials, Settings settings) {
        this.trials = trials;
        this.s = settings;
    }

    public Result run() {
        long t0 = System.nanoTime();
        List<EvalItem> items = trials.items();
        Set<String> ids = new HashSet<>();
        for (EvalItem it : items) if (!ids.add(it.id())) throw new StrataException("the task has two items with the id '" + it.id() + "'");
        SealedSplit split = new SealedSplit(items, s.heldOutFraction(), s.seed());

        Map<String, VariantInfo> infos = new LinkedHashMap<>();
        infos.put(s.baseline().canonical(), trials.describe(s.baseline()));
        List<Decision> crashes = new ArrayList<>();
        List<Variant> alive = new ArrayList<>();
        for (Variant v : s.candidates()) {
            if (infos.containsKey(v.canonical())) continue;
            try {
                infos.put(v.canonical(), trials.describe(v));
                alive.add(v);
            } catch (StrataException e) {
                crashes.add(new Decision(v.canonical(), Decision.Stages.CRASH, Decision.CRASH, 0, Double.NaN, Double.NaN, null, Double.NaN,
                        Double.NaN, Double.NaN, Double.NaN, "crash: " + e.getMessage()));
            }
        }
        if (alive.isEmpty()) throw new StrataException("no candidate can run on this model (" + crashes.size() + " crashed)");
        LedgerHeader header = trials.header(s.fingerprint(trials.taskName()), items.size(), List.copyOf(infos.values()));

        List<Decision> decisions = new ArrayList<>();
        List<Decision> scan = new ArrayList<>();
        try (Ledger ledger = s.resume() ? Ledger.resume(s.out(), header) : Ledger.create(s.out(), header);
                ResultsLog log = ResultsLog.open(s.out(), s.commit())) {
            for (Decision d : crashes) record(log, decisions, d);
            List<EvalItem> pool = split.search();
            int n = Math.min(s.firstItems(), pool.size());
            for (int round = 0; ; round++) {
                List<EvalItem> roundItems = pool.subList(0, n);
                split.checkSearch(roundItems);
                List<Variant> batch = new ArrayList<>(List.of(s.baseline()));
                batch.addAll(alive);
                trials.score(batch, roundItems, ledger);
                Map<String, LedgerEntry> index = Outcomes.index(ledger);
                Outcomes base = Outcomes.of(index, s.baseline(), roundItems);
                Map<Variant, Outcomes> scores = new LinkedHashMap<>();
                for (Variant v : alive) scores.put(v, Outcomes.of(index, v, roundItems));
                if (round == 0) {
                    scan.add(searchRow(s.baseline(), base, base, round, "baseline")); // the reference point of the compute plot
                    for (Variant v : alive) scan.add(searchRow(v, scores.get(v), base, round, "sweep"));
                }
                alive.sort(Comparator.comparingDouble((Variant v) -> -scores.get(v).accuracy())
                        .thenComparingLong(v -> infos.get(v.canonical()).activeParameters()).thenComparing(Variant::canonical));
                if (alive.size() <= s.finalists()) break;
                boolean outOfTime = s.budget() != null && System.nanoTime() - t0 > s.budget().toNanos();
                int survivors = outOfTime ? s.finalists() : Math.max(s.finalists(), (alive.size() + s.eta() - 1) / s.eta());
                for (int i = survivors; i < alive.size(); i++) {
                    Variant v = alive.get(i);
                    String why = String.format(Locale.ROOT, "%s round %d: rank %d of %d on %d search items", outOfTime ? "budget spent after" : "eliminated in",
                            round, i + 1, alive.size(), n);
                    record(log, decisions, searchRow(v, scores.get(v), base, round, why));
                }
                alive = new ArrayList<>(alive.subList(0, survivors));
                if (alive.size() <= s.finalists()) break;
                n = Math.min(pool.size(), n * s.eta());
            }

            List<EvalItem> heldOut = split.unseal();
            if (s.heldOutLimit() > 0 && s.heldOutLimit() < heldOut.size()) heldOut = heldOut.subList(0, s.heldOutLimit());
            List<Variant> batch = new ArrayList<>(List.of(s.baseline()));
            batch.addAll(alive);
            trials.score(batch, heldOut, ledger);
            Map<String, LedgerEntry> index = Outcomes.index(ledger);
            Outcomes base = Outcomes.of(index, s.baseline(), heldOut);
            record(log, decisions, new Decision(s.baseline().canonical(), Decision.Stages.BASELINE, Decision.KEEP, heldOut.size(), base.accuracy(),
                    base.accuracy(), null, Double.NaN, Double.NaN, base.multiplyAddsPerToken(), base.memoryMb(), "baseline on the held-out split"));
            List<DecisionRule.Finalist> finalists = new ArrayList<>();
            for (Variant v : alive) {
                Outcomes o = Outcomes.of(index, v, heldOut);
                finalists.add(new DecisionRule.Finalist(v.canonical(), o.correct(), o.multiplyAddsPerToken(), o.memoryMb()));
            }
            for (Decision d : s.rule().decide(base.correct(), finalists)) record(log, decisions, d);
            Path plans = Plans.write(s.out(), decisions.stream().filter(Decision::kept).toList(), header.modelSha256());
            return new Result(List.copyOf(decisions), List.copyOf(scan), infos, split.search().size(), heldOut.size(), plans);
        }
    }

    private Decision searchRow(Variant v, Outcomes o, Outcomes base, int round, String why) {
        long[] bc = McNemar.discordant(base.correct(), o.correct());
        var delta = PairedBootstrap.accuracyDifference(base.correct(), o.correct(), s.seed() + round);
        double p = McNemar.exactP(bc[0], bc[1]);
        String text = String.format(Locale.ROOT, "%s; search Δ %+.1f pp [%+.1f, %+.1f], unadjusted p=%.3g", why, 100 * delta.estimate(),
                100 * delta.low(), 100 * delta.high(), p);
        return new Decision(v.canonical(), Decision.Stages.search(round), Decision.DISCARD, o.correct().length, o.accuracy(), base.accuracy(), delta,
                p, Double.NaN, o.multiplyAddsPerToken(), o.memoryMb(), text);
    }

    private static void record(ResultsLog log, List<Decision> decisions, Decision d) {
        log.append(d);
        decisions.add(d);
    }

    /** The commit column: Strata's short git commit. */
    public static String commit() {
        String c = RunEnvironment.strataCommit();
        return c == null || c.length() < 7 ? String.valueOf(c) : c.substring(0, 7);
    }
}
