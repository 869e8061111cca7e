package dev.strata.train.tokenize;

import dev.strata.StrataException;
import dev.strata.train.curriculum.Curriculum;
import dev.strata.train.curriculum.Family;
import dev.strata.train.curriculum.Problem;
import dev.strata.train.curriculum.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A training tokenizer from its spec, as the tokenizer and train commands take it. */
public final class TokenizerSpec {
    private static final int SAMPLE_PROBLEMS = 20_000;

    private TokenizerSpec() {}

    /** "char", "bpe:N", or a path to a saved tokenizer; learned ones use training-split text only. */
    public static TrainTokenizer build(String spec, List<Family> families, int minDifficulty, int maxDifficulty, long seed) {
        if (!spec.equals("char") && !spec.startsWith("bpe")) {
            Path file = Path.of(spec);
            if (!Files.isRegularFile(file)) throw new StrataException("tokenizer must be char, bpe:<size> or an existing file, got " + spec);
            return TrainTokenizer.load(file);
        }
        List<String> texts = new Curriculum(seed, Split.TRAIN, families, minDifficulty, Math.max(maxDifficulty, minDifficulty))
                .take(SAMPLE_PROBLEMS).stream().map(Problem::plainText).toList();
        if (spec.equals("char")) {
            // Every family's symbols, at the largest difficulty, so harder evaluation problems still encode.
            List<String> all = new java.util.ArrayList<>(texts);
            all.addAll(new Curriculum(seed, Split.TRAIN, List.of(Family.values()), 1, Family.MAX_DIFFICULTY)
                    .take(2_000).stream().map(Problem::plainText).toList());
            return CharTokenizer.train(all);
        }
        int size;
        try {
            size = spec.equals("bpe") ? 512 : Integer.parseInt(spec.substring(4));
        } catch (NumberFormatException e) {
            throw new StrataException("cannot read BPE size in '" + spec + "' (use bpe:512)");
        }
        if (size > 4096) throw new StrataException("BPE vocabulary is limited to 4096 tokens for curriculum models");
        return BpeTokenizer.train(texts, size);
    }
}
