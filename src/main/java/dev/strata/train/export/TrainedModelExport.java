package dev.strata.train.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.StrataException;
import dev.strata.train.Checkpoint;
import dev.strata.train.TrainOptions;
import dev.strata.train.Trainer;
import dev.strata.train.model.ModelConfig;
import dev.strata.train.tokenize.TrainTokenizer;
import java.nio.file.Path;
import java.util.Locale;

/** Exports the state of a training run (live or checkpointed) with its curriculum format and options. */
public final class TrainedModelExport {
    private TrainedModelExport() {}

    public static void export(ModelConfig config, float[] params, TrainTokenizer tokenizer, TrainOptions options,
                              long steps, long tokens, Path out) {
        String optionsJson;
        try {
            optionsJson = new ObjectMapper().writeValueAsString(options);
        } catch (JsonProcessingException e) {
            throw new StrataException("cannot serialise training options: " + e.getMessage(), e);
        }
        CurriculumFormat format = new CurriculumFormat(options.familyList(), options.minDifficulty(), options.maxDifficulty(),
                steps, tokens, Trainer.trainingFlops(config, options, steps), optionsJson);
        String name = String.format(Locale.ROOT, "strata-curriculum-d%d-l%d%s", config.dim(), config.layers(),
                config.isMoe() ? "-moe" + config.experts() : "");
        GgufExporter.export(config, params, tokenizer, format, name, out);
    }

    public static void export(Checkpoint ck, Path out) {
        export(ck.config(), ck.params(), ck.tokenizer(), ck.options(), ck.progress().step(), ck.progress().tokens(), out);
    }
}
