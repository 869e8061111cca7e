package dev.strata.train.ops;

import java.util.SplittableRandom;

/**
 * Ad-hoc: java -cp target/classes:target/test-classes dev.strata.train.ops.GemmBenchmark [tokens]. GFLOP/s
 * per thread-CPU second (the build machine is shared) of the shapes a d=128 model trains with, for
 * each of the three training layouts, then the forward product with its operands hot in cache against cold.
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
        for (int round = 0; round < 4; round++)
            System.out.printf("prepacked %dx128·128x352: operands hot %.1f, cold (%d rotating sets, %d MB) %.1f GFLOP/s%n",
                    t, hotVersusCold(gemm, rng, t, 1), COLD_SETS, COLD_SETS * 4L * (t * 128 + 128 * 352 + t * 352) / 1_000_000, hotVersusCold(gemm, rng, t, COLD_SETS));
    }

    private static final int COLD_SETS = 48;

    /**
     * The training step's forward product with pre-packed weights, cycling through {@code sets}
     * independent (activation, weight, output) sets: with one set all three stay in L2, with many they
     * come from L3 or memory, as they do inside a step.
     */
    private static double hotVersusCold(Gemm gemm, SplittableRandom rng, int t, int sets) {
        int in = 128, out = 352;
        float[][] x = new float[sets][], packed = new float[sets][], y = new float[sets][];
        for (int i = 0; i < sets; i++) {
            x[i] = GemmTest.random(rng, t * in);
            packed[i] = new float[Gemm.packedSizeAll(in, out)];
            Gemm.packAll(packed[i], 0, GemmTest.random(rng, out * in), 0, 1, in, in, out);
            y[i] = new float[t * out];
        }
        int reps = 4 * COLD_SETS;
        return rate(2.0 * t * in * out * reps, () -> {
            for (int r = 0; r < reps; r++) {
                int i = r % sets;
                gemm.multiplyPrepacked(t, out, in, x[i], 0, in, 1, packed[i], 0, y[i], 0, out, false);
            }
        });
    }

    static double rate(double flops, Runnable work) {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long t0 = threads.getCurrentThreadCpuTime();
        work.run();
        return flops / (threads.getCurrentThreadCpuTime() - t0);
    }
}
