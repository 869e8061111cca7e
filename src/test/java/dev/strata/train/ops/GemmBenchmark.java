package dev.strata.train.ops;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;

/**
 * Ad-hoc: java -cp target/classes:target/test-classes dev.strata.train.ops.GemmBenchmark. Reports
 * GFLOP per thread-CPU-second as well as per wall second, since the build machine is shared.
 */
public final class GemmBenchmark {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        System.out.printf("peak 1 thread: %.1f GFLOP/s%n", PeakFlops.measure(1, 1.0) / 1e9);
        Gemm gemm = new Gemm();
        SplittableRandom rng = new SplittableRandom(1);
        int t = 1024, d = 128, o = 512;
        float[] x = GemmTest.random(rng, t * d), w = GemmTest.random(rng, d * o), y = new float[t * o], dw = new float[o * d];
        double flops = 2.0 * t * d * o * 20;
        for (int round = 0; round < 12; round++) {
            String fwd = time(flops, () -> { for (int r = 0; r < 20; r++) gemm.multiply(t, o, d, x, 0, d, 1, w, 0, 1, d, y, 0, o, false); });
            String dx = time(flops, () -> { for (int r = 0; r < 20; r++) gemm.multiply(t, d, o, y, 0, o, 1, w, 0, d, 1, x, 0, d, false); });
            String dW = time(flops, () -> { for (int r = 0; r < 20; r++) gemm.multiply(o, d, t, y, 0, 1, o, x, 0, d, 1, dw, 0, d, true); });
            System.out.println("fwd " + fwd + "  dX " + dx + "  dW " + dW);
        }
    }

    static String time(double flops, Runnable work) {
        long c0 = CPU.getCurrentThreadCpuTime(), t0 = System.nanoTime();
        work.run();
        long c1 = CPU.getCurrentThreadCpuTime(), t1 = System.nanoTime();
        return String.format("%.1f (cpu %.1f)", flops / (t1 - t0), flops / (c1 - c0));
    }
}
