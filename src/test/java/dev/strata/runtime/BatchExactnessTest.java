package dev.strata.runtime;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.SharedData;
import dev.strata.model.LayerPath;
import dev.strata.weights.Model;
import dev.strata.tensor.KernelProvider;
import dev.strata.tensor.Kernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sequence in a batch gets the greedy tokens it gets alone: 1..16 sequences with mixed prompt
 * lengths, layer paths and experts per token, prefilled together in one forward pass and then
 * decoded in lock-step. The truth is the same sequence run alone through the single-sequence path.
 *
 * <p>Bit-identical logits, not a tolerance: one flipped rounding in an activation quantized to
 * Q8_0 moves logits by 0.1, so "close" batching would change tokens. The Panama kernels tile a
 * matmul over 4 or more rows ({@code TiledMatmul}: fp32-dequantized weights, one 8-lane FMA
 * accumulator per output) and use per-row integer block dots below that; {@code MatMul} therefore
 * picks the kernel by each sequence's own row count, which this test checks (the scalar kernels,
 * with per-row dots only, check the batching itself).
 */
class BatchExactnessTest {
    static final int DECODE_STEPS = 6;
    static final int TOP = 8;

    static Stream<Arguments> fixtures() {
        int[] all = new int[16];
        for (int i = 0; i < 16; i++) all[i] = i + 1;
        int[] some = {1, 2, 3, 5, 8, 16};
        String[] storiesPaths = {null, "dup:1-2", "skip:3", "0,1,2,3,4,4"};
        String[] twoLayerPaths = {null, "dup:1", "0,0,1"};
        return Stream.of(
                Arguments.of("stories260K-F32", "scalar", all, storiesPaths, new int[] {0}),
                Arguments.of("stories260K-F32", "panama", some, storiesPaths, new int[] {0}),
                Arguments.of("stories260K-Q8_0", "scalar", new int[] {4, 16}, storiesPaths, new int[] {0}),
                Arguments.of("stories260K-Q4_0", "auto", some, storiesPaths, new int[] {0}),
                Arguments.of("stories260K-Q8_0", "panama", all, storiesPaths, new int[] {0}),
                Arguments.of("qwen2-tiny-random", "panama", some, twoLayerPaths, new int[] {0}),
                Arguments.of("mixtral-tiny-random-Q4_K_M", "scalar", new int[] {16}, twoLayerPaths, new int[] {0, 1, 3}),
                Arguments.of("mixtral-tiny-random-F16", "panama", some, twoLayerPaths, new int[] {0, 1, 3}),
                Arguments.of("qwen2moe-tiny-random", "panama", some, twoLayerPaths, new int[] {0, 1, 4}));
    }

    record Spec(int[] prompt, String layers, int expertsPerToken) {}

    /** Greedy tokens and, per step, the top logits (ids and values) of one sequence. */
    record Run(int[] tokens, int[][] topIds, float[][] topValues) {}

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fixtures")
    void batchedSequencesDecodeAsTheyDoAlone(String name, String kernels, int[] batchSizes, String[] paths, int[] experts) {
        KernelProvider k = Kernels.select(kernels);
        try (Model m = Model.load(SharedData.model(name + ".gguf"), k); WorkerPool pool = new WorkerPool(2)) {
            Forward f = new Forward(m, k, pool);
            List<Spec> specs = specs(m.config().vocabSize(), paths, experts);
            List<Run> alone = new ArrayList<>();
            for (Spec s : specs) alone.add(alone(f, m, s));
            int steps = 0;
            for (int b : batchSizes) {
                int first = b % specs.size();
                List<Spec> members = new ArrayList<>();
                for (int i = 0; i < b; i++) members.add(specs.get((first + i) % specs.size()));
                Run[] runs = batched(f, m, members);
                for (int i = 0; i < b; i++) {
                    Run want = alone.get((first + i) % specs.size()), got = runs[i];
                    String where = name + " " + kernels + ", batch of " + b + ", member " + i + " " + describe(members.get(i));
                    assertArrayEquals(want.tokens(), got.tokens(), "greedy tokens of " + where);
                    for (int s = 0; s < want.tokens().length; s++) {
                        steps++;
                        for (int j = 0; j < TOP; j++) {
                            assertEquals(want.topIds()[s][j], got.topIds()[s][j], "top ids at step " + s + " of " + where);
                            float d = Math.abs(want.topValues()[s][j] - got.topValues()[s][j]);
                            assertEquals(Float.floatToIntBits(want.topValues()[s][j]), Float.floatToIntBits(got.topValues()[s][j]),
                                    "logit of token " + want.topIds()[s][j] + " (diff " + d + ") at step " + s + " of " + where);
                        }
                    }
                }
            }
            System.out.printf("BatchExactness %s %s: %d decode steps, top-%d logits bit-identical to the sequence alone%n",
                    name, kernels, steps, TOP);
        }
    }

    /** 16 requests: prompt lengths 1..9, layer paths and experts per token cycling through the given ones. */
    static List<Spec> specs(int vocab, String[] paths, int[] experts) {
        Random rnd = new Random(14);
        List<Spec> specs = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            int[] prompt = new int[1 + rnd.nextInt(9)];
            for (int j = 0; j < prompt.length; j++) prompt[j] = rnd.nextInt(vocab);
            specs.add(new Spec(prompt, paths[i % paths.length], experts[(i / paths.length) % experts.length]));
        }
        return specs;
    }

    private static String describe(Spec s) {
        return "(prompt of " + s.prompt().length + ", layers " + s.layers() + ", experts/token " + s.expertsPerToken() + ")";
    }

    private static Sequence sequence(Model m, Spec s) {
        var c = m.config();
        ExecutionPlan plan = s.layers() == null ? ExecutionPlan.identity(c.blockCount())
                : ExecutionPlan.ofPath(LayerPath.parse(s.layers(), c.blockCount()));
        return new Sequence(c, plan, 64, s.expertsPerToken());
    }

    private static Run alone(Forward f, Model m, Spec s) {
        Sequence seq = sequence(m, s);
        int vocab = m.config().vocabSize();
        Run run = new Run(new int[DECODE_STEPS], new int[DECODE_STEPS][], new float[DECODE_STEPS][]);
        float[] logits = f.forward(seq, s.prompt(), false, new ForwardStats());
        for (int step = 0; step < DECODE_STEPS; step++) {
            record(run, step, logits, vocab);
            if (step + 1 < DECODE_STEPS) logits = f.forward(seq, new int[] {run.tokens()[step]}, false, new ForwardStats());
        }
        return run;
    }

    /** All members prefilled in one batch, then decoded one token each per forward pass. */
    private static Run[] batched(Forward f, Model m, List<Spec> members) {
        int b = members.size(), vocab = m.config().vocabSize();
        Sequence[] seqs = new Sequence[b];
        Run[] runs = new Run[b];
        Batch batch = new Batch();
        for (int i = 0; i < b; i++) {
            seqs[i] = sequence(m, members.get(i));
            runs[i] = new Run(new int[DECODE_STEPS], new int[DECODE_STEPS][], new float[DECODE_STEPS][]);
            batch.add(seqs[i], members.get(i).prompt(), false);
        }
        int[][] next = new int[b][1];
        for (int step = 0; step < DECODE_STEPS; step++) {
            f.forward(batch, new ForwardStats());
            for (int i = 0; i < b; i++) {
                record(runs[i], step, batch.get(i).logits(), vocab);
                next[i][0] = runs[i].tokens()[step];
            }
            batch.clear();
            for (int i = 0; i < b; i++) batch.add(seqs[i], next[i], false);
        }
        return runs;
    }

    private static void record(Run run, int step, float[] logits, int vocab) {
        int[] ids = topIds(logits, vocab);
        float[] values = new float[TOP];
        for (int j = 0; j < TOP; j++) values[j] = logits[ids[j]];
        run.tokens()[step] = ids[0];
        run.topIds()[step] = ids;
        run.topValues()[step] = values;
    }

    /** The TOP highest logits' ids, highest first, ties to the lower id (greedy's argmax first). */
    static int[] topIds(float[] logits, int vocab) {
        int[] ids = new int[TOP];
        java.util.Arrays.fill(ids, -1);
        for (int i = 0; i < vocab; i++) {
            for (int j = 0; j < TOP; j++) {
                if (ids[j] < 0 || logits[i] > logits[ids[j]]) {
                    System.arraycopy(ids, j, ids, j + 1, TOP - j - 1);
                    ids[j] = i;
                    break;
                }
            }
        }
        return ids;
    }
}
