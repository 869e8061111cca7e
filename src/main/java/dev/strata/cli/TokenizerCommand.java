package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.train.curriculum.Curriculum;
import dev.strata.train.curriculum.Family;
import dev.strata.train.curriculum.Problem;
import dev.strata.train.curriculum.Split;
import dev.strata.train.tokenize.BpeTokenizer;
import dev.strata.train.tokenize.CharTokenizer;
import dev.strata.train.tokenize.TrainTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata tokenizer train}: learns a character vocabulary or a byte-level BPE from curriculum text. */
@Command(name = "tokenizer", mixinStandardHelpOptions = true, description = "Tokenizers for trained models.",
        subcommands = TokenizerCommand.Train.class)
public final class TokenizerCommand implements Runnable {
    private static final int SAMPLE_PROBLEMS = 20_000;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "train", mixinStandardHelpOptions = true, description = "Learn a tokenizer from the curriculum's training split.")
    static final class Train implements Callable<Integer> {
        @Option(names = "--type", defaultValue = "bpe", description = "char or bpe") String type;
        @Option(names = "--vocab", defaultValue = "512", description = "BPE vocabulary size, 256 to 4096.") int vocab;
        @Option(names = "--families", defaultValue = "all") String families;
        @Option(names = "--min-difficulty", defaultValue = "1") int minDifficulty;
        @Option(names = "--max-difficulty", defaultValue = "4") int maxDifficulty;
        @Option(names = "--seed", defaultValue = "1") long seed;
        @Option(names = {"-o", "--output"}, required = true) Path output;

        @Override
        public Integer call() {
            String spec = type.equals("bpe") ? "bpe:" + vocab : type;
            TrainTokenizer tok = buildTokenizer(spec, Family.parseList(families), minDifficulty, maxDifficulty, seed);
            tok.save(output);
            System.out.println("vocab_size: " + tok.vocabSize());
            System.out.println("written: " + output);
            return 0;
        }
    }

    /** "char", "bpe:N", or a path to a saved tokenizer; learned ones use training-split text only. */
    public static TrainTokenizer buildTokenizer(String spec, List<Family> families, int minDifficulty, int maxDifficulty, long seed) {
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
