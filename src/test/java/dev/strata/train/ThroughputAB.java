package dev.strata.train;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.SplittableRandom;

/**
 * Ad-hoc A/B of two builds of the trainer in one JVM: java --add-modules jdk.incubator.vector -cp
 * target/test-classes dev.strata.train.ThroughputAB DIR_A DIR_B dim layers ffn seq batch threads seconds
 * warmupSteps, where DIR_X/classes holds a build's main classes. Each build is loaded by its own class
 * loader; optimizer steps alternate between the two and each is charged the process CPU time of its
 * steps, so load that drifts on a shared machine hits both alike. Run it in both orders.
 */
public final class ThroughputAB {
    public static void main(String[] a) throws Exception {
        String[] dirs = {a[0], a[1]};
        int dim = Integer.parseInt(a[2]), layers = Integer.parseInt(a[3]), ffn = Integer.parseInt(a[4]), seq = Integer.parseInt(a[5]);
        int batch = Integer.parseInt(a[6]), threads = Integer.parseInt(a[7]), seconds = Integer.parseInt(a[8]), warm = Integer.parseInt(a[9]);
        Object[] trainers = new Object[2]; Method[] step = new Method[2]; int[][] path = new int[2][]; double flopsPerToken = 0;
        int[] tokens = new int[batch * seq], targets = new int[batch * seq];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < tokens.length; i++) { tokens[i] = rng.nextInt(64); targets[i] = rng.nextInt(64); }
        for (int v = 0; v < 2; v++) {
            URL[] urls = {new File(dirs[v] + "/classes/").toURI().toURL()};
            ClassLoader cl = new URLClassLoader(urls, ThroughputAB.class.getClassLoader().getParent());
            Class<?> mc = cl.loadClass("dev.strata.train.model.ModelConfig");
            Object config = mc.getMethod("dense", int.class, int.class, int.class, int.class, int.class, int.class, int.class)
                    .invoke(null, 64, dim, layers, dim / 32, dim / 32, ffn, seq);
            flopsPerToken = (double) mc.getMethod("trainingFlopsPerToken", int.class).invoke(config, seq);
            Class<?> tm = cl.loadClass("dev.strata.train.model.TransformerModel");
            Object model = tm.getConstructor(mc).newInstance(config);
            tm.getMethod("initialize", long.class).invoke(model, 1L);
            path[v] = (int[]) tm.getMethod("defaultPath").invoke(model);
            Class<?> dp = cl.loadClass("dev.strata.train.DataParallelTrainer");
            trainers[v] = dp.getConstructor(tm, int.class, int.class, int.class, int.class, int.class, float.class)
                    .newInstance(model, batch, seq, threads, 1, layers, 0.1f);
            step[v] = dp.getMethod("step", int[].class, int[].class, int[].class, float.class, float.class);
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int i = 0; i < warm; i++) for (int v = 0; v < 2; v++) step[v].invoke(trainers[v], tokens, targets, path[v], 1e-4f, 1f);
        long[] cpu = new long[2]; int[] steps = new int[2];
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < seconds * 1e9) {
            for (int v = 0; v < 2; v++) {
                long c0 = os.getProcessCpuTime();
                step[v].invoke(trainers[v], tokens, targets, path[v], 1e-4f, 1f);
                cpu[v] += os.getProcessCpuTime() - c0; steps[v]++;
            }
        }
        for (int v = 0; v < 2; v++) {
            double tok = (double) steps[v] * batch * seq, c = cpu[v] / 1e9;
            System.out.printf("%s: steps %d  per CPU-second: tokens %.0f  GFLOP %.1f%n", v == 0 ? "A" : "B", steps[v], tok / c, tok * flopsPerToken / c / 1e9);
        }
        System.out.printf("B/A = %.3f%n", ((double) steps[1] / cpu[1]) / ((double) steps[0] / cpu[0]));
        System.exit(0);
    }
}
