package dev.strata.bench;

import dev.strata.runtime.Batch;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Batched decode throughput in the style of llama.cpp's llama-batched-bench: for each batch size B,
 * B sequences get a PP-token prompt each in one batched forward pass, then advance TG tokens each,
 * one batched forward pass (B tokens) per step. Columns as llama-batched-bench prints them, plus
 * per-sequence decode speed and what one decode step reads and computes, for the roofline.
 */
public final class BatchedBench {

    /** One batch size's timings and counters (decode counters cover the TG steps only). */
    public record Row(int pp, int tg, int b, double promptSeconds, double decodeSeconds, long decodeWeightBytes,
                      long decodeMultiplyAdds) {
        public int nKv() { return b * (pp + tg); }
        public double promptRate() { return b * pp / promptSeconds; }
        public double decodeRate() { return b * tg / decodeSeconds; }
        public double totalSeconds() { return promptSeconds + decodeSeconds; }
        public double totalRate() { return nKv() / totalSeconds(); }
        public double perSequenceDecodeRate() { return decodeRate() / b; }
        public double weightBytesPerStep() { return (double) decodeWeightBytes / tg; }
        public double flopPerStep() { return 2.0 * decodeMultiplyAdds / tg; }
    }

    private BatchedBench() {}

    /** Runs every batch size once after an untimed warm-up (B=1) that lets the JIT compile the kernels. */
    public static List<Row> run(Engine engine, int pp, int tg, List<Integer> batchSizes, String layers, int expertsPerToken) {
        measure(engine, Math.min(pp, 8), Math.min(tg, 8), 1, layers, expertsPerToken);
        List<Row> rows = new ArrayList<>();
        for (int b : batchSizes) rows.add(measure(engine, pp, tg, b, layers, expertsPerToken));
        return rows;
    }

    static Row measure(Engine engine, int pp, int tg, int b, String layers, int expertsPerToken) {
        int vocab = engine.model().config().vocabSize();
        Sequence[] seqs = new Sequence[b];
        Batch batch = new Batch();
        int[][] prompts = new int[b][];
        for (int i = 0; i < b; i++) {
            seqs[i] = engine.newSequence(layers, expertsPerToken, pp + tg + 1);
            prompts[i] = StrataBenchRunner.randomTokens(pp, vocab, 42 + i);
            batch.add(seqs[i], prompts[i], false);
        }
        long t0 = System.nanoTime();
        engine.forward().forward(batch, new ForwardStats());
        long t1 = System.nanoTime();
        int[] tokens = StrataBenchRunner.randomTokens(tg * b, vocab, 7);
        ForwardStats decode = new ForwardStats();
        for (int step = 0; step < tg; step++) {
            batch.clear();
            for (int i = 0; i < b; i++) batch.add(seqs[i], tokens, step * b + i, 1, false);
            engine.forward().forward(batch, decode);
        }
        long t2 = System.nanoTime();
        return new Row(pp, tg, b, (t1 - t0) / 1e9, (t2 - t1) / 1e9, decode.weightBytes, decode.multiplyAdds);
    }

    /** KV cache bytes one position takes in a sequence of this engine (all slots, keys and values, as stored). */
    public static long kvBytesPerToken(Engine engine, String layers, int expertsPerToken) {
        return engine.newSequence(layers, expertsPerToken, 16).cache().storedBytesPerPosition();
    }

    /** The fastest weight read of any row, bytes per second (to check the bandwidth figure against). */
    public static double fastestRead(List<Row> rows) {
        return rows.stream().filter(r -> r.weightBytesPerStep() > BandwidthProbe.UNCACHED_BYTES)
                .mapToDouble(r -> r.weightBytesPerStep() * r.tg() / r.decodeSeconds()).max().orElse(0);
    }

    public static String markdown(List<Row> rows, String header, double bandwidthBytesPerSecond) {
        StringBuilder sb = new StringBuilder(header);
        sb.append("\n|    PP |     TG |    B |   N_KV |   T_PP s | S_PP t/s |   T_TG s | S_TG t/s | per seq t/s |      T s |    S t/s |"
                + " weights MB/step | GFLOP/step | weights GB/s | of bandwidth |\n");
        sb.append("|-------|--------|------|--------|----------|----------|----------|----------|-------------|----------|----------|"
                + "-----------------|------------|--------------|--------------|\n");
        for (Row r : rows) {
            double gbps = r.weightBytesPerStep() * r.tg() / r.decodeSeconds() / 1e9;
            sb.append(String.format(Locale.ROOT, "| %5d | %6d | %4d | %6d | %8.3f | %8.2f | %8.3f | %8.2f | %11.2f | %8.3f | %8.2f | %15.1f | %10.2f | %12.2f | %11.0f%% |%n",
                    r.pp(), r.tg(), r.b(), r.nKv(), r.promptSeconds(), r.promptRate(), r.decodeSeconds(), r.decodeRate(),
                    r.perSequenceDecodeRate(), r.totalSeconds(), r.totalRate(), r.weightBytesPerStep() / 1e6, r.flopPerStep() / 1e9,
                    gbps, 100 * BandwidthProbe.fractionOfLimit(r.weightBytesPerStep(), r.tg() / r.decodeSeconds(), bandwidthBytesPerSecond)));
        }
        return sb.toString();
    }

    /** The CPU's model name (Linux /proc/cpuinfo), else the architecture. */
    public static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }
}
