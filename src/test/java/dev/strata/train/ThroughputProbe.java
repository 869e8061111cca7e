package dev.strata.train;

import dev.strata.train.model.ModelConfig;
import dev.strata.train.model.StepTimes;
import dev.strata.train.model.TransformerModel;
import dev.strata.train.ops.PeakFlops;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;

/**
 * Ad-hoc throughput probe: java -cp target/classes:target/test-classes dev.strata.train.ThroughputProbe
 * [dim layers ffn seq batch threads seconds microBatch warmupCpuSeconds]. Prints tokens/s and GFLOP/s, per wall second and per
 * process CPU second (the build machine is shared, so the second tells more), and where the time went: the
 * linear layers' and attention's share of the CPU time and the GFLOP/s each ran at.
 */
public final class ThroughputProbe {
    public static void main(String[] args) {
        int dim = arg(args, 0, 128), layers = arg(args, 1, 4), ffn = arg(args, 2, 352), seq = arg(args, 3, 256);
        int batch = arg(args, 4, 8), threads = arg(args, 5, 2), seconds = arg(args, 6, 30), micro = arg(args, 7, 1);
        int warmupCpuSeconds = arg(args, 8, 20);
        ModelConfig config = ModelConfig.dense(64, dim, layers, dim / 32, dim / 32, ffn, seq);
        TransformerModel model = new TransformerModel(config);
        model.initialize(1);
        SplittableRandom rng = new SplittableRandom(1);
        int[] tokens = new int[batch * seq], targets = new int[batch * seq];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = rng.nextInt(64);
            targets[i] = rng.nextInt(64);
        }
        double flopsPerToken = config.trainingFlopsPerToken(seq);
        System.out.printf("params %d, %.1f MFLOP/token, batch %d x %d, %d threads, micro-batch %d%n", config.numParams(), flopsPerToken / 1e6, batch, seq, threads, micro);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (DataParallelTrainer trainer = new DataParallelTrainer(model, batch, seq, threads, micro, layers, 0.1f)) {
            // warm up until C2 has compiled the kernels: on a loaded machine the JIT threads starve too
            long warm0 = os.getProcessCpuTime();
            for (int i = 0; i < 2 || os.getProcessCpuTime() - warm0 < warmupCpuSeconds * 1e9; i++)
                trainer.step(tokens, targets, model.defaultPath(), 1e-4f, 1f);
            trainer.resetTimes();
            long t0 = System.nanoTime(), c0 = os.getProcessCpuTime();
            int steps = 0;
            while (System.nanoTime() - t0 < seconds * 1e9) {
                trainer.step(tokens, targets, model.defaultPath(), 1e-4f, 1f);
                steps++;
            }
            double wall = (System.nanoTime() - t0) / 1e9, cpu = (os.getProcessCpuTime() - c0) / 1e9;
            double tok = (double) steps * batch * seq;
            System.out.printf("steps %d  tokens/s %.0f  GFLOP/s %.1f  |  per CPU-second: tokens %.0f  GFLOP %.1f  (cpu/wall %.2f)%n",
                    steps, tok / wall, tok * flopsPerToken / wall / 1e9, tok / cpu, tok * flopsPerToken / cpu / 1e9, cpu / wall);
            printParts(trainer.partSeconds(), tok * config.linearTrainingFlopsPerToken(layers),
                    tok * config.attentionTrainingFlopsPerToken(seq, layers), cpu);
        }
        System.out.printf("FMA peak, %d threads: %.1f GFLOP/s%n", threads, PeakFlops.measure(threads, 2.0) / 1e9);
    }

    /** Share of the process CPU time and GFLOP/s of the linear layers, attention and everything else. */
    private static void printParts(StepTimes.Seconds seconds, double linearFlops, double attentionFlops, double cpu) {
        double linear = seconds.linear(), attention = seconds.attention();
        System.out.printf("linear layers %.0f%% of CPU time at %.1f GFLOP/s  |  attention %.0f%% at %.1f GFLOP/s  |  rest %.0f%%%n",
                100 * linear / cpu, linearFlops / linear / 1e9, 100 * attention / cpu, attentionFlops / attention / 1e9,
                100 * (cpu - linear - attention) / cpu);
    }

    private static int arg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }
}
