package dev.strata.eval.likelihood;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.SharedData;
import dev.strata.cli.Main;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.testoracle.LlamaCppNative;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Strata's perplexity against llama.cpp's, run in process: the same text and context, llama.cpp's
 * tokens and logits, and llama-perplexity's recipe (BOS-replaced chunks, second half scored) redone
 * here in double precision from llama.cpp's logits. The issue asks for agreement within 0.5 %.
 */
class PerplexityOracleTest {
    /** An original children's story (written for this test, no licence restrictions), ~770 stories260K tokens. */
    static final String STORY = """
            Once upon a time, there was a little girl named Lily. She lived in a small house near a big green park. \
            Every morning, Lily liked to walk to the park with her dog, Max. Max was a happy dog with a long tail and soft brown fur.
            One day, Lily saw a red ball under a tree. She wanted to play with it, so she picked it up and threw it far. \
            Max ran fast to get the ball. He brought it back to Lily and wagged his tail. Lily laughed and said, "Good boy, Max!"
            Then the sky became dark and the wind started to blow. Lily was scared of the loud thunder. Max stayed close to her \
            and licked her hand. Lily felt better. They ran home together and sat by the warm fire. Mom gave them some milk and a cookie.
            The next day, the sun came out again. Lily and Max went back to the park. They met a boy named Tom who had a blue kite. \
            Tom asked, "Do you want to fly my kite with me?" Lily said yes. The kite went up high in the sky, and everyone was happy.
            After lunch, Lily found a small bird on the grass. The bird could not fly because its wing was hurt. Lily was sad for \
            the bird. She took it home in a little box and gave it water and seeds. Every day she took care of the bird until its wing was strong again.
            When the bird was ready, Lily opened the box in the garden. The bird sang a sweet song and flew up to the tree. \
            Lily waved and said goodbye. She learned that being kind to others makes the world a better place.
            That night, Lily went to bed with a big smile. She dreamed of birds, kites and red balls. Max slept at the end of \
            her bed, and the moon shone through the window. It was a good day, and tomorrow would be another good day.
            """;

    static final double TOLERANCE = 0.005;

    @TempDir
    Path tmp;

    private static final java.util.Map<String, double[]> ORACLE = new java.util.concurrent.ConcurrentHashMap<>();

    /** llama-perplexity's numbers from llama.cpp's own tokens and logits: {ppl, uncertainty, tokens}; computed once per case. */
    static double[] llamaCpp(Path model, String text, int nCtx) {
        return ORACLE.computeIfAbsent(model + "|" + nCtx + "|" + text.hashCode(), k -> computeLlamaCpp(model, text, nCtx));
    }

    private static double[] computeLlamaCpp(Path model, String text, int nCtx) {
        // llama.cpp pads its KV cache to at least 256 cells; chunks still start at position 0 and hold nCtx tokens
        try (LlamaCppNative llama = new LlamaCppNative(model, Math.max(256, nCtx), 1)) {
            int[] tokens = llama.tokenize(text, true);
            int[] bosProbe = llama.tokenize("", true);
            int chunks = tokens.length / nCtx, first = nCtx / 2, vocab = llama.vocabSize();
            assertTrue(tokens.length >= 2 * nCtx, "text too short for the test: " + tokens.length);
            double nll = 0, nll2 = 0;
            long count = 0;
            for (int c = 0; c < chunks; c++) {
                int[] chunk = Arrays.copyOfRange(tokens, c * nCtx, (c + 1) * nCtx);
                if (bosProbe.length == 1) chunk[0] = bosProbe[0];
                llama.reset();
                float[][] rows = llama.decode(chunk, true);
                for (int j = first; j < nCtx - 1; j++) {
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int i = 0; i < vocab; i++) max = Math.max(max, rows[j][i]);
                    for (int i = 0; i < vocab; i++) sum += Math.exp(rows[j][i] - max);
                    double v = -(rows[j][tokens[c * nCtx + j + 1]] - max - Math.log(sum));
                    nll += v;
                    nll2 += v * v;
                    count++;
                }
            }
            double mean = nll / count, ppl = Math.exp(mean);
            return new double[] {ppl, Math.sqrt((nll2 / count - mean * mean) / (count - 1)) * ppl, tokens.length};
        }
    }

    @ParameterizedTest(name = "{0} -c {1}")
    @CsvSource({"stories260K-F32, 128", "stories260K-F32, 64", "stories260K-F32, 256", "stories260K-Q8_0, 128", "llama3-tiny-random, 64"})
    void equalsLlamaCpp(String model, int nCtx) {
        LlamaCppNative.assumeAvailable();
        Path gguf = SharedData.model(model + ".gguf");
        String text = model.startsWith("llama3") ? STORY.substring(0, 1200) : STORY;
        double[] oracle = llamaCpp(gguf, text, nCtx);
        try (Engine engine = Engine.open(gguf, 1, "auto")) {
            int[] tokens = Perplexity.tokenize(engine.tokenizer(), text);
            assertEquals((int) oracle[2], tokens.length, "token count differs from llama.cpp");
            Perplexity.Totals t = Perplexity.run(engine, ctx -> engine.newSequence(null, 0, ctx), tokens, nCtx, -1, 2048,
                    new ForwardStats(), x -> {});
            System.out.printf("%s -c %d: strata PPL %.4f +/- %.5f, llama.cpp %.4f +/- %.5f (%d chunks, %d tokens scored)%n",
                    model, nCtx, t.ppl(), t.pplUncertainty(), oracle[0], oracle[1], tokens.length / nCtx, t.count());
            assertEquals(oracle[0], t.ppl(), TOLERANCE * oracle[0], "perplexity");
            assertEquals(oracle[1], t.pplUncertainty(), 0.02 * oracle[1], "uncertainty");
        }
    }

    @Test
    void theEvalTaskAggregatesToLlamaCppsFigure() throws Exception {
        LlamaCppNative.assumeAvailable();
        Path gguf = SharedData.model("stories260K-F32.gguf");
        Path file = Files.writeString(tmp.resolve("story.txt"), STORY);
        double[] oracle = llamaCpp(gguf, STORY, 128);
        try (Engine engine = Engine.open(gguf, 1, "auto")) {
            PerplexityTask task = new PerplexityTask(file, engine.tokenizer(), 128, -1);
            assertEquals(6, task.items().size());
            var ctx = new dev.strata.eval.yaml.LocalItemContext(engine);
            var outcomes = task.items().stream().map(i -> task.score(ctx, i)).toList();
            var agg = task.aggregate(outcomes);
            assertEquals(oracle[0], agg.get("ppl"), TOLERANCE * oracle[0], agg.toString());
            assertEquals(oracle[1], agg.get("ppl_uncertainty"), 0.02 * oracle[1], agg.toString());
            assertEquals(6 * 128, ctx.stats().tokens, "every chunk token goes through the forward pass once");
        }
    }

    @Test
    void commandPrintsTheClosingLineWithLlamaCppsValue() throws Exception {
        LlamaCppNative.assumeAvailable();
        Path gguf = SharedData.model("stories260K-F32.gguf");
        Path file = Files.writeString(tmp.resolve("story.txt"), STORY);
        double[] oracle = llamaCpp(gguf, STORY, 128);
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run("perplexity", "-m", gguf.toString(), "-f", file.toString(), "-c", "128", "-b", "50", "-t", "1");
        } finally {
            System.setOut(oldOut);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.matches("(?s)\\[1]\\d+\\.\\d{4},\\[2]\\d+\\.\\d{4},.*\\[6]\\d+\\.\\d{4},\n.*"), text);
        Matcher m = Pattern.compile("Final estimate: PPL = (\\d+\\.\\d{4}) \\+/- (\\d+\\.\\d{5})\n").matcher(text);
        assertTrue(m.find(), text);
        assertEquals(oracle[0], Double.parseDouble(m.group(1)), TOLERANCE * oracle[0], text);
        assertEquals(oracle[1], Double.parseDouble(m.group(2)), 0.02 * oracle[1], text);
    }
}
