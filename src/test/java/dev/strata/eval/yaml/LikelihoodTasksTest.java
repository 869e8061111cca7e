package dev.strata.eval.yaml;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.SharedData;
import dev.strata.eval.ItemOutcome;
import dev.strata.eval.likelihood.LogLikelihood;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * multiple_choice and loglikelihood_rolling on stories260K, against log-probabilities recomputed
 * here by decoding one token at a time (the batched, all-logits pass the tasks use is not involved)
 * and lm-eval's formulas for acc, acc_norm, word_perplexity and bits_per_byte.
 */
class LikelihoodTasksTest {
    static Engine engine;

    @TempDir
    Path tmp;

    @BeforeAll
    static void open() {
        engine = Engine.open(SharedData.model("stories260K-F32.gguf"), 1, "auto");
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    /** log p(continuation | context), one token per forward pass. */
    static double incremental(int[] context, int[] continuation) {
        Sequence seq = engine.newSequence(null, 0, 0);
        int vocab = engine.model().config().vocabSize();
        float[] logits = engine.forward().forward(seq, context, false, new ForwardStats());
        double sum = 0;
        for (int t : continuation) {
            sum += LogLikelihood.logProb(logits, 0, vocab, t);
            logits = engine.forward().forward(seq, new int[] {t}, false, new ForwardStats());
        }
        return sum;
    }

    @Test
    void multipleChoiceScoresAsLmEval() throws Exception {
        List<String> choices = List.of("a big dog", "blue", "the little girl named Lily");
        Files.writeString(tmp.resolve("mc.jsonl"), "{\"ctx\": \"Once upon a time, there was\", \"label\": 2}\n");
        Files.writeString(tmp.resolve("mc.yaml"), """
                task: mc
                dataset_path: mc.jsonl
                output_type: multiple_choice
                doc_to_text: "{{ctx}}"
                doc_to_choice: ["a big dog", "blue", "the little girl named Lily"]
                doc_to_target: label
                metric_list: [{metric: acc}, {metric: acc_norm}, {metric: exact_match}]
                """);
        YamlTask task = (YamlTask) YamlTaskLoader.load(tmp.resolve("mc.yaml"));
        ItemOutcome o = task.score(new LocalItemContext(engine), task.items().getFirst());
        var tok = engine.tokenizer();
        double[] ll = new double[choices.size()];
        int pred = 0, predNorm = 0;
        for (int c = 0; c < ll.length; c++) {
            int[] whole = tok.encode("Once upon a time, there was " + choices.get(c), true, false);
            int[] ctx = tok.encode("Once upon a time, there was", true, false);
            assertArrayEquals(ctx, Arrays.copyOf(whole, ctx.length), "the context's tokens prefix the whole");
            ll[c] = incremental(ctx, Arrays.copyOfRange(whole, ctx.length, whole.length));
            if (ll[c] > ll[pred]) pred = c;
            if (ll[c] / choices.get(c).length() > ll[predNorm] / choices.get(predNorm).length()) predNorm = c;
        }
        System.out.printf("choices %s: log-likelihoods %s, acc picks %d, acc_norm picks %d%n", choices, Arrays.toString(ll), pred, predNorm);
        assertEquals(pred == 2 ? 1.0 : 0.0, o.metrics().get("acc"));
        assertEquals(predNorm == 2 ? 1.0 : 0.0, o.metrics().get("acc_norm"));
        assertEquals(o.metrics().get("acc") == 1.0, o.correct(), "correct is the first metric");
        assertEquals(choices.get(pred), o.prediction());
        assertNotEquals(pred, predNorm, "this item separates acc from acc_norm (the long choice wins only per character)");
    }

    @Test
    void rollingPerplexitiesAreRatiosOfSums() throws Exception {
        String a = "Lily and Max went to the park. They played with a red ball.\n";
        String b = "The sun was warm and the birds sang  in the tall tree.";
        Files.writeString(tmp.resolve("r.jsonl"), "{\"text\": " + json(a) + "}\n{\"text\": " + json(b) + "}\n");
        Files.writeString(tmp.resolve("r.yaml"), """
                task: wiki
                dataset_path: r.jsonl
                output_type: loglikelihood_rolling
                doc_to_target: "{{text}}"
                metric_list: [{metric: word_perplexity}, {metric: byte_perplexity}, {metric: bits_per_byte}]
                """);
        YamlTask task = (YamlTask) YamlTaskLoader.load(tmp.resolve("r.yaml"));
        var ctx = new LocalItemContext(engine);
        List<ItemOutcome> outcomes = task.items().stream().map(i -> task.score(ctx, i)).toList();
        var tok = engine.tokenizer();
        double ll = 0;
        for (String s : List.of(a, b)) ll += incremental(new int[] {tok.vocab().bos()}, tok.encode(s, false, false));
        // Python: len(re.split(r"\\s+", doc)): 13 words and the empty field after the final newline, then 12; len(doc.encode("utf-8"))
        double words = 14 + 12, bytes = a.getBytes(StandardCharsets.UTF_8).length + b.getBytes(StandardCharsets.UTF_8).length;
        var agg = task.aggregate(outcomes);
        assertEquals(ll, outcomes.get(0).metrics().get("loglikelihood") + outcomes.get(1).metrics().get("loglikelihood"), 1e-3);
        assertEquals(Math.exp(-ll / words), agg.get("word_perplexity"), 1e-3 * agg.get("word_perplexity"));
        assertEquals(Math.exp(-ll / bytes), agg.get("byte_perplexity"), 1e-4 * agg.get("byte_perplexity"));
        assertEquals(-ll / bytes / Math.log(2), agg.get("bits_per_byte"), 1e-4);
        System.out.println("rolling, 2 docs on stories260K: " + agg);
    }

    @Test
    void sampledRepeatsAreSeededAndVotedOn() throws Exception {
        Files.writeString(tmp.resolve("g.jsonl"), "{\"p\": \"Once upon a time, there was a\", \"a\": \" little\"}\n");
        Files.writeString(tmp.resolve("g.yaml"), """
                task: vote
                dataset_path: g.jsonl
                doc_to_text: p
                doc_to_target: a
                generation_kwargs: {until: ["."], max_gen_toks: 6, do_sample: true, temperature: 1.5}
                repeats: 5
                filter_list:
                  - name: maj
                    filter: [{function: regex, regex_pattern: '^ ?(\\w+)'}, {function: majority_vote}, {function: take_first}]
                """);
        YamlTask task = (YamlTask) YamlTaskLoader.load(tmp.resolve("g.yaml"));
        var item = task.items().getFirst();
        ItemOutcome a = task.score(new LocalItemContext(engine, new ForwardStats(), 7), item);
        ItemOutcome b = task.score(new LocalItemContext(engine, new ForwardStats(), 7), item);
        assertEquals(a, b, "the same seed gives the same samples, so a resumed run scores alike");
        assertTrue(a.generatedTokens() > 6 && a.generatedTokens() <= 5 * 6, "five sampled generations ran: " + a);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (long seed = 1; seed <= 6; seed++) seen.add(task.score(new LocalItemContext(engine, new ForwardStats(), seed), item).toString());
        assertTrue(seen.size() > 1, "other seeds sample differently at temperature 1.5");
    }

    private static String json(String s) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
    }
}
