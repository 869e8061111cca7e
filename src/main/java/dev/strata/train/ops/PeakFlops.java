package dev.strata.train.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures the machine's FP32 FMA peak with the Vector API: independent FMA chains, enough of them
 * to hide FMA latency, on every thread at once. This is the denominator of the trainer's MFU.
 */
public final class PeakFlops {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12;

    private PeakFlops() {}

    /**
     * FLOP/s (an FMA counts as two) summed over {@code threads} threads, best of short rounds run
     * for {@code seconds} (at least 0.3 s: compilation finishes in the background, and rounds
     * before it would understate the peak).
     */
    public static double measure(int threads, double seconds) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            // Many short calls get the loop itself C2-compiled; one long call would only be OSR-compiled,
            // and the Vector API is orders of magnitude slower before C2.
            for (int i = 0; i < 200; i++) fmaLoop(2_000);
            double best = 0;
            long deadline = System.nanoTime() + (long) (Math.max(seconds, 0.3) * 1e9);
            do {
                List<Callable<Double>> jobs = new ArrayList<>();
                for (int t = 0; t < threads; t++) jobs.add(PeakFlops::oneRound);
                double sum = 0;
                for (var f : pool.invokeAll(jobs)) sum += f.get();
                best = Math.max(best, sum);
            } while (System.nanoTime() < deadline);
            return best;
        } catch (Exception e) {
            throw new IllegalStateException("peak FLOP/s measurement failed", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static double oneRound() {
        int iterations = 200_000;
        long t0 = System.nanoTime();
        float sink = fmaLoop(iterations);
        long dt = System.nanoTime() - t0;
        if (sink == 42f) System.out.print(""); // keeps the result live
        return 2.0 * CHAINS * S.length() * (double) iterations / (dt * 1e-9);
    }

    private static float fmaLoop(int iterations) {
        FloatVector m = FloatVector.broadcast(S, 0.999999f), add = FloatVector.broadcast(S, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(S, 1f), a1 = a0.add(add), a2 = a1.add(add), a3 = a2.add(add);
        FloatVector a4 = a3.add(add), a5 = a4.add(add), a6 = a5.add(add), a7 = a6.add(add);
        FloatVector a8 = a7.add(add), a9 = a8.add(add), a10 = a9.add(add), a11 = a10.add(add);
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(m, add);
            a1 = a1.fma(m, add);
            a2 = a2.fma(m, add);
            a3 = a3.fma(m, add);
            a4 = a4.fma(m, add);
            a5 = a5.fma(m, add);
            a6 = a6.fma(m, add);
            a7 = a7.fma(m, add);
            a8 = a8.fma(m, add);
            a9 = a9.fma(m, add);
            a10 = a10.fma(m, add);
            a11 = a11.fma(m, add);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
