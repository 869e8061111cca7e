package dev.strata.bench;

import dev.strata.runtime.Engine;
import dev.strata.runtime.ExecutionPlan;
import dev.strata.model.LayerPath;
import dev.strata.runtime.Sequence;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code strata bench --layers A --layers B ...}: several layer paths of one loaded model, side by side. The
 * model's own path is always measured first, as the reference. Memory is read once per path right after its first
 * run (so the identity path has touched every weight page and a duplicated block can only show what it adds);
 * the timed repetitions are then interleaved path by path, so the machine's drift hits every path alike.
 */
public final class LayerPathBench {

    /** One path's memory: plan steps, KV cache bytes as stored, and resident memory after its first run. */
    public record PathMemory(String layers, int steps, long kvBytesPerPosition, ResidentMemory resident) {}

    /**
     * The timed rows (pp and tg per path, in path order), each path's memory, and the process CPU time its timed
     * decode runs took (less sensitive than wall time to other processes competing for the cores).
     */
    public record Outcome(List<BenchResult> results, List<PathMemory> memory, long[] decodeCpuNanos, int modelLayers, int context,
                          ResidentMemory afterLoad) {}

    private LayerPathBench() {}

    /** The specs to run: the model's own path first (as "0-(n-1)"), unless one of the specs already is it. */
    public static List<String> withIdentity(List<String> specs, int layers) {
        List<String> all = new ArrayList<>();
        boolean hasIdentity = specs.stream().anyMatch(s -> ExecutionPlan.ofPath(LayerPath.parse(s, layers)).isIdentity(layers));
        if (!hasIdentity) all.add("0-" + (layers - 1));
        all.addAll(specs);
        return all;
    }

    public static Outcome run(Engine engine, Path file, ModelDescription model, List<String> specs, int expertsPerToken,
                              int threads, int p, int n, int repetitions, long warmupMillis, MeasurementLog log) {
        int layers = engine.model().config().blockCount();
        int context = Math.min(engine.model().config().contextLength(), 4096);
        ResidentMemory afterLoad = ResidentMemory.of(file);
        List<StrataBenchRunner> runners = new ArrayList<>();
        List<PathMemory> memory = new ArrayList<>();
        for (String spec : withIdentity(specs, layers)) {
            StrataBenchRunner runner = new StrataBenchRunner(engine, spec, expertsPerToken, warmupMillis, log);
            runners.add(runner);
            Sequence seq = engine.newSequence(spec, expertsPerToken, context);
            long kvPerPosition = seq.cache().allocatedBytes() / seq.cache().capacity();
            runner.runGeneration(runner.randomTokens(Math.max(n, 1) + 1));
            memory.add(new PathMemory(spec, seq.plan().steps().size(), kvPerPosition, ResidentMemory.of(file)));
        }
        int[] prompt = p > 0 ? runners.getFirst().randomTokens(p) : null;
        int[] generation = n > 0 ? runners.getFirst().randomTokens(n + 1) : null;
        for (StrataBenchRunner r : runners) {
            if (prompt != null) r.warmUp(() -> r.runPrompt(prompt));
            if (generation != null) r.warmUp(() -> r.runGeneration(generation));
        }
        List<List<StrataBenchRunner.Run>> ppRuns = new ArrayList<>(), tgRuns = new ArrayList<>();
        for (int i = 0; i < runners.size(); i++) {
            ppRuns.add(new ArrayList<>());
            tgRuns.add(new ArrayList<>());
        }
        long[] decodeCpu = new long[runners.size()];
        for (int rep = 0; rep < repetitions; rep++) {
            for (int i = 0; i < runners.size(); i++) {
                if (prompt != null) ppRuns.get(i).add(runners.get(i).runPrompt(prompt));
                if (generation != null) {
                    long cpu0 = processCpuNanos();
                    tgRuns.get(i).add(runners.get(i).runGeneration(generation));
                    decodeCpu[i] += processCpuNanos() - cpu0;
                }
            }
        }
        List<BenchResult> results = new ArrayList<>();
        for (int i = 0; i < runners.size(); i++) {
            if (prompt != null) results.add(runners.get(i).summarize(model, threads, "pp" + p, p, ppRuns.get(i)));
            if (generation != null) results.add(runners.get(i).summarize(model, threads, "tg" + n, n, tgRuns.get(i)));
        }
        return new Outcome(results, memory, decodeCpu, layers, context, afterLoad);
    }

    /**
     * Per path, against the model's own path (the first): decode time per token, the time expected if it grows in
     * proportion to the weight bytes read per token (and to the plan's steps), KV cache and resident memory.
     */
    public static String markdown(Outcome o) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%nlayer paths (model: %d layers; resident after load: weights %s MiB, process %s MiB)%n%n",
                o.modelLayers(), mib(o.afterLoad().mappedFileBytes()), mib(o.afterLoad().processBytes())));
        sb.append("| layers | steps | tg t/s | time/token × | CPU time/token × | expected × (weight bytes) | measured/expected (CPU) | steps × "
                + "| KV KiB/token | KV MiB @" + o.context() + " | weights resident MiB | process RSS MiB |\n");
        sb.append("| ------ | ----: | -----: | -----------: | ---------------: | ------------------------: | ----------------------: | ------: "
                + "| -----------: | ---------: | -------------------: | --------------: |\n");
        BenchResult baseTg = tgRow(o, o.memory().getFirst().layers());
        PathMemory base = o.memory().getFirst();
        for (int i = 0; i < o.memory().size(); i++) {
            PathMemory m = o.memory().get(i);
            BenchResult tg = tgRow(o, m.layers());
            String tps = "-", time = "-", cpu = "-", expected = "-", ratio = "-";
            if (tg != null) {
                double t = baseTg.mean() / tg.mean(), e = tg.weightBytesPerToken() / baseTg.weightBytesPerToken();
                tps = fmt("%.2f ± %.2f", tg.mean(), tg.sd());
                time = fmt("%.3f", t);
                expected = fmt("%.3f", e);
                if (o.decodeCpuNanos()[0] > 0) {
                    double c = (double) o.decodeCpuNanos()[i] / o.decodeCpuNanos()[0];
                    cpu = fmt("%.3f", c);
                    ratio = fmt("%.3f", c / e);
                }
            }
            sb.append("| ").append(String.join(" | ", m.layers(), Integer.toString(m.steps()), tps, time, cpu, expected, ratio,
                    fmt("%.3f", (double) m.steps() / base.steps()), fmt("%.2f", m.kvBytesPerPosition() / 1024.0),
                    fmt("%.1f", m.kvBytesPerPosition() * (double) o.context() / (1 << 20)),
                    mib(m.resident().mappedFileBytes()), mib(m.resident().processBytes()))).append(" |\n");
        }
        return sb.toString();
    }

    private static long processCpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static BenchResult tgRow(Outcome o, String layers) {
        return o.results().stream().filter(r -> r.test().startsWith("tg") && layers.equals(r.layers())).findFirst().orElse(null);
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "-" : fmt("%.1f", bytes / (double) (1 << 20));
    }

    private static String fmt(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
