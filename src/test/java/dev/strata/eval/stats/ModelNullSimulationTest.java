package dev.strata.eval.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.sample.Sampler;
import dev.strata.sample.SamplerConfig;
import dev.strata.model.DefaultModel;
import dev.strata.tokenizer.Tokenizer;
import dev.strata.train.curriculum.Family;
import dev.strata.train.curriculum.Problem;
import dev.strata.train.solve.CurriculumSolver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The null simulation with a real model: the same model, sampled at temperature 4 with two
 * different seeds, answers 75 held-out curriculum problems given its reasoning up to the answer
 * mark; an outcome is "the sampled token starts the reference answer". The truth is "no difference", so over 200 such comparisons
 * the exact McNemar test may call at most alpha plus its binomial margin significant.
 */
class ModelNullSimulationTest {
    private static final int COMPARISONS = 200;
    private static final double ALPHA = 0.05;

    @Test
    void sameModelDifferentSeedsIsRarelyCalledDifferent() {
        List<float[]> logits = new ArrayList<>();
        List<Integer> reference = new ArrayList<>();
        int vocab;
        try (Engine engine = Engine.open(DefaultModel.resolve(), 1, "auto")) {
            Tokenizer tok = engine.tokenizer();
            vocab = engine.model().config().vocabSize();
            for (Family f : Family.values()) {
                for (int d = 1; d <= 5; d++) {
                    for (Problem p : CurriculumSolver.testProblems(f, d, 3, 11)) {
                        // teacher-forced up to the answer mark: the answer's first token is where the model is uncertain
                        String target = p.target();
                        String upToAnswer = p.plainPrefix() + target.substring(0, target.lastIndexOf(Problem.ANSWER_MARK) + Problem.ANSWER_MARK.length() + 1);
                        int[] prompt = tok.encode(upToAnswer, true, false);
                        logits.add(engine.forward().forward(engine.newSequence(null, 0, prompt.length + 1), prompt, false, new ForwardStats()));
                        reference.add(tok.encode(p.answer(), false, false)[0]);
                    }
                }
            }
        }
        int n = logits.size(), significant = 0;
        long discordant = 0;
        SamplerConfig config = SamplerConfig.defaults().withTemperature(4f).withMinP(0f).withTopP(1f);
        for (int k = 0; k < COMPARISONS; k++) {
            Sampler a = new Sampler(config.withSeed(2L * k + 1)), b = new Sampler(config.withSeed(2L * k + 2));
            boolean[] first = new boolean[n], second = new boolean[n];
            for (int i = 0; i < n; i++) {
                first[i] = a.sample(logits.get(i), vocab) == reference.get(i);
                second[i] = b.sample(logits.get(i), vocab) == reference.get(i);
            }
            long[] bc = McNemar.discordant(first, second);
            discordant += bc[0] + bc[1];
            if (McNemar.exactP(bc[0], bc[1]) <= ALPHA) significant++;
        }
        int limit = NullAndPowerSimulationTest.upperQuantile(COMPARISONS, ALPHA, 0.001);
        System.out.printf("model null: %d/%d significant (limit %d), %.1f discordant pairs per comparison of %d items%n", significant,
                COMPARISONS, limit, discordant / (double) COMPARISONS, n);
        assertTrue(discordant / (double) COMPARISONS >= 5, "too few discordant pairs for the test to mean anything");
        assertTrue(significant <= limit, significant + " of " + COMPARISONS + " null comparisons called significant; limit " + limit);
    }
}
