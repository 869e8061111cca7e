package dev.strata.tools.synth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.weights.Model;
import dev.strata.runtime.ExecutionPlan;
import dev.strata.runtime.Forward;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;
import dev.strata.runtime.WorkerPool;
import dev.strata.tensor.quant.GgmlType;
import dev.strata.tensor.KernelProvider;
import dev.strata.tensor.Kernels;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a uniform router each of the 8 experts takes about 1/8 of the selections; with a Zipf-like
 * skew the two most popular experts of each layer take more, and more again as the skew grows.
 */
class RouterSkewTest {
    @TempDir
    Path tmp;

    @Test
    void skewConcentratesRoutingOnFewExperts() {
        double uniform = topTwoShare(0), mild = topTwoShare(1.5), strong = topTwoShare(4);
        System.out.printf("top-2 share: uniform %.3f, skew 1.5 %.3f, skew 4 %.3f%n", uniform, mild, strong);
        assertTrue(uniform < 0.45, "uniform router: top-2 experts take " + uniform);
        assertTrue(mild > uniform + 0.05, "skew 1.5: top-2 experts take " + mild + ", uniform " + uniform);
        assertTrue(strong > mild + 0.05, "skew 4: top-2 experts take " + strong + ", skew 1.5 " + mild);
    }

    /** The share of all selections that went to the two most chosen experts, averaged over layers. */
    private double topTwoShare(double skew) {
        SynthShape shape = SynthShape.resolve("qwen3moe", null).withVocab(512);
        Path file = tmp.resolve("skew-" + skew + ".gguf");
        new SynthModel(shape, GgmlType.F32, 7, skew).write(file, null, "skew");
        KernelProvider k = Kernels.select("auto");
        try (Model m = Model.load(file, k); WorkerPool pool = new WorkerPool(2)) {
            long[][] counts = new long[shape.layers()][shape.experts()];
            Sequence seq = new Sequence(m.config(), ExecutionPlan.identity(shape.layers()), 256, 0)
                    .routingListener((layer, pos, logits, chosen) -> { for (int e : chosen) counts[layer][e]++; });
            Random r = new Random(1);
            int[] tokens = new int[200];
            for (int i = 0; i < tokens.length; i++) tokens[i] = r.nextInt(512);
            new Forward(m, k, pool).forward(seq, tokens, false, new ForwardStats());
            double share = 0;
            for (long[] c : counts) {
                long[] sorted = c.clone();
                Arrays.sort(sorted);
                share += (double) (sorted[sorted.length - 1] + sorted[sorted.length - 2]) / Arrays.stream(c).sum();
            }
            return share / counts.length;
        }
    }
}
