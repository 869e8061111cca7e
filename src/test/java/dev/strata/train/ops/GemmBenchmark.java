package dev.strata.train.ops;

import java.util.SplittableRandom;

/**
 * Ad-hoc: java -cp target/classes:target/test-classes dev.strata.train.ops.GemmBenchmark [tokens]. GFLOP/s
 * per thread-CPU second (the build machine is shared) of the shapes a d=128 model trains with, for
 * each of the three training layouts.
 */
public final class GemmBenchmark {
    public static void main(String[] args) {
        Gemm gemm = new Gemm();
        SplittableRandom rng = new SplittableRandom(1);
        int t = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int[][] shapes = {{128, 128}, {128, 352}, {352, 128}};
        for (int round = 0; round < 6; round++) {
            StringBuilder line = new StringBuilder();
            for (int[] s : shapes) {
                int in = s[0], out = s[1];
                float[] x = GemmTest.random(rng, t * in), w = GemmTest.random(rng, out * in), y = GemmTest.random(rng, t * out);
                float[] dx = new float[t * in], dw = new float[out * in];
                int reps = Math.max(30, 30 * 1024 / t);
                double flops = 2.0 * t * in * out * reps;
                line.append(String.format("%dx%d fwd %.1f dX %.1f dW %.1f | ", in, out,
                        rate(flops, () -> { for (int r = 0; r < reps; r++) Linear.forward(gemm, y, 0, x, 0, w, 0, t, in, out); }),
                        rate(flops, () -> { for (int r = 0; r < reps; r++) gemm.multiply(t, in, out, y, 0, out, 1, w, 0, in, 1, dx, 0, in, true); }),
                        rate(flops, () -> { for (int r = 0; r < reps; r++) gemm.multiply(out, in, t, y, 0, 1, out, x, 0, in, 1, dw, 0, in, true); })));
            }
            System.out.println(line);
        }
    }

    static double rate(double flops, Runnable work) {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long t0 = threads.getCurrentThreadCpuTime();
        work.run();
        return flops / (threads.getCurrentThreadCpuTime() - t0);
    }
}
