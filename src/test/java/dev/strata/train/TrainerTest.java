package dev.strata.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.train.curriculum.Family;
import dev.strata.train.model.ModelConfig;
import dev.strata.train.tokenize.TokenizerSpec;
import dev.strata.train.tokenize.TrainTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    private static TrainOptions options(long steps, boolean loop) {
        return new TrainOptions(List.of("lists", "arithmetic"), 1, 2, 4, 64, 1, 3e-3f, 0.1f, 0.1f, 0.1f, 1f,
                0, steps, 2, 11, loop, 0.5f, 2, 4, 3, 0);
    }

    private static TrainTokenizer tokenizer() {
        return TokenizerSpec.build("char", List.of(Family.LIST_OPS, Family.ARITHMETIC), 1, 2, 11);
    }

    private static ModelConfig config(TrainTokenizer tok) {
        return ModelConfig.dense(tok.vocabSize(), 32, 2, 2, 1, 64, 64);
    }

    @Test
    void shortRunPrintsEverySummaryKeyAndLearns() {
        TrainTokenizer tok = tokenizer();
        Trainer trainer = new Trainer(config(tok), options(40, false), tok, null, false);
        trainer.peakMeasureSeconds = 0.05;
        Map<String, String> summary = trainer.run();
        List<String> keys = List.copyOf(summary.keySet());
        List<String> required = List.of("val_loss", "val_bpb", "training_seconds", "tokens", "tokens_per_second",
                "num_params", "active_params", "mfu", "linear_seconds", "attention_seconds");
        assertTrue(keys.containsAll(required), keys.toString());
        for (String family : List.of("lists", "arithmetic"))
            for (int d = 1; d <= 3; d++) assertTrue(keys.contains("task_accuracy." + family + ".d" + d), keys.toString());
        assertEquals(40L * 4 * 64, Long.parseLong(summary.get("tokens")));
        assertEquals(40.0 * 4 * 64 * config(tok).trainingFlopsPerToken(64), Double.parseDouble(summary.get("training_flops")),
                1e-6 * Double.parseDouble(summary.get("training_flops")), "no loop training: tokens x FLOPs per token");
        double valLoss = Double.parseDouble(summary.get("val_loss"));
        assertTrue(valLoss < Math.log(tok.vocabSize()) - 0.5, "40 steps should beat a uniform guess: " + valLoss);
        double mfu = Double.parseDouble(summary.get("mfu"));
        assertTrue(mfu > 0 && mfu < 1, "mfu " + mfu);
        double inProducts = Double.parseDouble(summary.get("linear_seconds")) + Double.parseDouble(summary.get("attention_seconds"));
        double workerSeconds = 2 * Double.parseDouble(summary.get("training_seconds"));
        assertTrue(inProducts > 0 && inProducts <= workerSeconds + 0.11, inProducts + " s of products in " + workerSeconds + " worker-seconds");
    }

    @Test
    void resumingFromACheckpointReproducesAnUninterruptedRun(@TempDir Path dir) {
        TrainTokenizer tok = tokenizer();
        Trainer straight = new Trainer(config(tok), options(6, true), tok, null, false);
        straight.peakMeasureSeconds = 0.01;
        Map<String, String> straightSummary = straight.run();

        Path ck = dir.resolve("run.ckpt");
        Trainer first = new Trainer(config(tok), options(6, true), tok, ck, false);
        first.stopAfterStep = 3;
        first.peakMeasureSeconds = 0.01;
        first.run();
        Checkpoint saved = Checkpoint.load(ck);
        assertEquals(3, saved.progress().step());
        Trainer resumed = new Trainer(saved, ck, false);
        resumed.peakMeasureSeconds = 0.01;
        Map<String, String> resumedSummary = resumed.run();
        assertArrayEquals(straight.model().params(), resumed.model().params());
        assertEquals(straightSummary.get("training_flops"), resumedSummary.get("training_flops"), "the resumed run counts the first session's steps");
        double plain = 6.0 * 4 * 64 * config(tok).trainingFlopsPerToken(64);
        assertTrue(Double.parseDouble(straightSummary.get("training_flops")) > plain, "loop training repeats layers in some steps");
    }

    @Test
    void loopTrainingRepeatsAContiguousBlock() {
        TrainTokenizer tok = tokenizer();
        Trainer trainer = new Trainer(ModelConfig.dense(tok.vocabSize(), 16, 4, 2, 1, 16, 64), options(1, true), tok, null, false);
        boolean sawLoop = false;
        for (long step = 0; step < 50; step++) {
            int[] path = trainer.samplePath(step);
            assertArrayEquals(path, trainer.samplePath(step), "paths depend only on seed and step");
            if (path.length > 4) {
                sawLoop = true;
                int repeatStart = -1;
                for (int i = 1; i < path.length; i++) if (path[i] <= path[i - 1]) repeatStart = i;
                assertTrue(repeatStart > 0, java.util.Arrays.toString(path));
            } else {
                assertArrayEquals(new int[] {0, 1, 2, 3}, path);
            }
        }
        assertTrue(sawLoop);
    }
}
