package dev.strata.bench;

import dev.strata.gguf.GgufFile;
import dev.strata.sample.grammar.Grammar;
import dev.strata.sample.grammar.GrammarConstraint;
import dev.strata.sample.grammar.GrammarVocabulary;
import dev.strata.sample.grammar.JsonSchemaGrammar;
import dev.strata.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of the grammar token mask per generated token: a JSON document matching a schema is replayed token
 * by token through a fresh {@link GrammarConstraint} (mask over the whole vocabulary applied to a logits
 * array, then the token accepted), so every state is met cold once, as in a real request. Score: microseconds
 * per token. A second benchmark times the worst single step, the mask of a state inside a JSON string, where
 * almost every token is allowed and the trie walk cannot prune.
 *
 * <p>Run: {@code java -cp target/classes:$(cat target/cp.txt) dev.strata.bench.GrammarMaskBench -p model=../shared/models/qwen2-tiny-random.gguf}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class GrammarMaskBench {
    static final String SCHEMA = """
            {"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"},"tags":{"type":"array",
             "items":{"type":"string"}},"address":{"type":"object","properties":{"city":{"type":"string"},"zip":{"type":"string"}},
             "required":["city"]}},"required":["name","age"]}""";
    static final String DOCUMENT = "{\"name\": \"Ada Lovelace\", \"age\": 36, \"tags\": [\"math\", \"poetry\", \"engines\"], "
            + "\"address\": {\"city\": \"London\", \"zip\": \"W1\"}}";

    @Param({"../shared/models/qwen2-tiny-random.gguf"})
    public String model;

    private GrammarVocabulary vocab;
    private Grammar grammar;
    private int[] tokens;
    private float[] logits;
    /** Tokens of the document that end inside the "name" string. */
    private int insideString;

    @Setup
    public void setup() {
        Tokenizer tokenizer;
        try (GgufFile f = GgufFile.open(Path.of(model))) {
            tokenizer = Tokenizer.fromGguf(f);
        }
        vocab = GrammarVocabulary.of(tokenizer);
        grammar = Grammar.parse(JsonSchemaGrammar.toGbnf(SCHEMA));
        tokens = tokenizer.encode(DOCUMENT, false, false);
        logits = new float[vocab.size()];
        insideString = 1;
        while (tokenizer.decode(java.util.Arrays.copyOf(tokens, insideString)).length() < "{\"name\": \"A".length()) insideString++;
    }

    /** Microseconds per token over a whole document (divide the score by the token count printed at setup). */
    @Benchmark
    public void documentMaskPerToken(Blackhole hole) {
        GrammarConstraint constraint = new GrammarConstraint(grammar, vocab);
        for (int token : tokens) {
            constraint.apply(logits, logits.length);
            constraint.accept(token);
        }
        hole.consume(constraint.canEnd());
    }

    /** One cold mask inside a string value (the walk visits nearly the whole trie). */
    @Benchmark
    public void coldMaskInsideString(Blackhole hole) {
        GrammarConstraint constraint = new GrammarConstraint(grammar, vocab);
        for (int i = 0; i < insideString; i++) constraint.accept(tokens[i]);
        hole.consume(constraint.allowedTokens());
    }

    public static void main(String[] args) throws Exception {
        GrammarMaskBench b = new GrammarMaskBench();
        b.model = "../shared/models/qwen2-tiny-random.gguf";
        b.setup();
        System.out.println("document: " + b.tokens.length + " tokens, vocabulary " + b.vocab.size() + ", trie " + b.vocab.trie().nodeCount() + " nodes");
        String[] withInclude = java.util.Arrays.copyOf(args, args.length + 1);
        withInclude[args.length] = GrammarMaskBench.class.getName();
        org.openjdk.jmh.Main.main(withInclude);
    }
}
