package dev.strata.train.export;

import dev.strata.StrataException;
import dev.strata.gguf.GgufFile;
import dev.strata.gguf.GgufValueType;
import dev.strata.gguf.GgufWriter;
import dev.strata.train.curriculum.Family;
import dev.strata.train.curriculum.Problem;
import java.util.Arrays;
import java.util.List;

/**
 * What a curriculum model was trained on and how to prompt it, stored in the GGUF under
 * {@code strata.curriculum.*}: the families, the trained difficulty range and the plain-text
 * format (the prompt, a space, then the model writes its steps, the answer mark, the answer and a
 * newline). {@code trainOptions} is the run's options as JSON, for reproduction.
 */
public record CurriculumFormat(List<Family> families, int minDifficulty, int maxDifficulty, long trainSteps,
                               long trainTokens, double trainFlops, String trainOptions) {
    public static final String PREFIX = "strata.curriculum.";
    public static final String FORMAT_PLAIN = "plain";
    /** Training FLOPs of the whole run (every step's layer path, forward and backward), for frontier fits. */
    public static final String TRAIN_FLOPS = "strata.train.flops";

    public void write(GgufWriter w) {
        w.putArray(PREFIX + "families", GgufValueType.STRING, families.stream().map(Family::id).toArray(String[]::new));
        w.putU32(PREFIX + "min_difficulty", minDifficulty);
        w.putU32(PREFIX + "max_difficulty", maxDifficulty);
        w.putString(PREFIX + "format", FORMAT_PLAIN);
        w.putString(PREFIX + "prompt_suffix", " ");
        w.putString(PREFIX + "answer_mark", Problem.ANSWER_MARK);
        w.putString(PREFIX + "stop", "\n");
        w.putString(PREFIX + "description", "prompt + ' ', then the model writes its steps, '" + Problem.ANSWER_MARK
                + " ', the answer and a newline; graded by exact match of the text after the last '" + Problem.ANSWER_MARK + "'");
        w.putString(PREFIX + "example", "a=3; b=a+4; c=b*2; c=? b=7 c=14 " + Problem.ANSWER_MARK + " 14\n");
        w.putU64("strata.train.steps", trainSteps);
        w.putU64("strata.train.tokens", trainTokens);
        if (trainFlops > 0) w.putF64(TRAIN_FLOPS, trainFlops);
        if (trainOptions != null) w.putString("strata.train.options", trainOptions);
    }

    /** Reads the format back; a model without it is not a curriculum model. */
    public static CurriculumFormat read(GgufFile f) {
        String[] ids = f.getArray(PREFIX + "families", String[].class);
        if (ids == null) throw new StrataException(f.name() + " is not a curriculum model (no " + PREFIX + "families)");
        String format = f.getString(PREFIX + "format", FORMAT_PLAIN);
        if (!format.equals(FORMAT_PLAIN)) throw new StrataException(f.name() + ": unsupported curriculum format '" + format + "'");
        return new CurriculumFormat(Arrays.stream(ids).map(Family::byId).toList(), f.getInt(PREFIX + "min_difficulty", 1),
                f.getInt(PREFIX + "max_difficulty", 1), f.getLong("strata.train.steps", 0), f.getLong("strata.train.tokens", 0),
                f.getDouble(TRAIN_FLOPS, 0), f.getString("strata.train.options", null));
    }
}
