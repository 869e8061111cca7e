package dev.strata.cli;

import dev.strata.train.curriculum.Family;
import dev.strata.train.tokenize.TokenizerSpec;
import dev.strata.train.tokenize.TrainTokenizer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata tokenizer train}: learns a character vocabulary or a byte-level BPE from curriculum text. */
@Command(name = "tokenizer", mixinStandardHelpOptions = true, description = "Tokenizers for trained models.",
        subcommands = TokenizerCommand.Train.class)
public final class TokenizerCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "train", mixinStandardHelpOptions = true, description = "Learn a tokenizer from the curriculum's training split.")
    static final class Train implements Callable<Integer> {
        @Option(names = "--type", defaultValue = "bpe", description = "char or bpe") String type;
        @Option(names = "--vocab", defaultValue = "512", description = "BPE vocabulary size, 256 to 4096.") int vocab;
        @Option(names = "--families", defaultValue = "all", paramLabel = "LIST", description = "Curriculum families whose text trains the merges (default: ${DEFAULT-VALUE}).") String families;
        @Option(names = "--min-difficulty", defaultValue = "1", paramLabel = "D", description = "Lowest difficulty (default: ${DEFAULT-VALUE}).") int minDifficulty;
        @Option(names = "--max-difficulty", defaultValue = "4", paramLabel = "D", description = "Highest difficulty (default: ${DEFAULT-VALUE}).") int maxDifficulty;
        @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Seed of the training text (default: ${DEFAULT-VALUE}).") long seed;
        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Where to write the tokenizer JSON.") Path output;

        @Override
        public Integer call() {
            String spec = type.equals("bpe") ? "bpe:" + vocab : type;
            TrainTokenizer tok = TokenizerSpec.build(spec, Family.parseList(families), minDifficulty, maxDifficulty, seed);
            tok.save(output);
            System.out.println("vocab_size: " + tok.vocabSize());
            System.out.println("written: " + output);
            return 0;
        }
    }
}
