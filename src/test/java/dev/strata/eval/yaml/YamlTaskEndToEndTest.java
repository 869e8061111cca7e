package dev.strata.eval.yaml;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.SharedData;
import dev.strata.cli.Main;
import dev.strata.eval.EvalItem;
import dev.strata.eval.ItemOutcome;
import dev.strata.runtime.Engine;
import dev.strata.model.DefaultModel;
import dev.strata.train.curriculum.Family;
import dev.strata.train.curriculum.Problem;
import dev.strata.train.solve.CurriculumSolver;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task files run end to end on real engines with a minimal ItemContext (the runner lives elsewhere):
 * GSM8K on the default model and on a synthetic Llama 3 model with the real Llama 3 tokenizer, and the
 * curriculum YAML against {@code strata demo}'s own solver and scorer on the same problems.
 */
class YamlTaskEndToEndTest {
    @TempDir
    Path tmp;

    /** Scores the first {@code limit} items, checks each outcome's shape and cost, prints accuracy. */
    static List<ItemOutcome> run(YamlTask task, Engine engine, int limit) {
        LocalItemContext ctx = new LocalItemContext(engine);
        List<ItemOutcome> out = new java.util.ArrayList<>();
        for (EvalItem item : task.items().subList(0, limit)) {
            long before = ctx.stats().tokens;
            ItemOutcome o = task.score(ctx, item);
            long fed = ctx.stats().tokens - before;
            assertTrue(o.promptTokens() > 0 && o.generatedTokens() > 0, o.toString());
            // the generator feeds the prompt and every generated token but the last (or all, when it ends at EOG)
            assertTrue(fed == o.promptTokens() + o.generatedTokens() - 1 || fed == o.promptTokens() + o.generatedTokens(),
                    "cost counted through the context's stats: fed " + fed + " for " + o);
            for (double v : o.metrics().values()) assertTrue(v == 0 || v == 1, o.toString());
            out.add(o);
        }
        return out;
    }

    @Test
    void gsm8kOnTheDefaultModel() {
        YamlTask task = (YamlTask) YamlTaskLoader.load(Path.of("tasks/gsm8k.yaml"));
        try (Engine engine = Engine.open(DefaultModel.resolve(), 2, "auto")) {
            List<ItemOutcome> o = run(task, engine, 3);
            int ctxLen = engine.newSequence(null, 0, 0).cache().contextLength(), maxGen = Math.min(256, ctxLen - 1);
            for (int i = 0; i < o.size(); i++) {
                int full = engine.tokenizer().encode(task.prompt(task.items().get(i)), true, false).length;
                assertEquals(Math.min(full, ctxLen - maxGen), o.get(i).promptTokens(),
                        "lm-eval keeps the last max_length - max_gen_toks prompt tokens (here " + ctxLen + " - " + maxGen + ")");
            }
            Map<String, Double> agg = task.aggregate(o);
            assertEquals(java.util.Set.of("exact_match,strict-match", "exact_match,flexible-extract"), agg.keySet());
            System.out.println("gsm8k, default model, 3 items: " + agg + " predictions " + o.stream().map(ItemOutcome::prediction).toList());
        }
    }

    @Test
    void gsm8kOnASynthLlama3WithTheRealTokenizer() throws Exception {
        SharedData.require(SharedData.model("llama3-tiny-random.gguf"));
        Path model = tmp.resolve("tiny-llama3.gguf");
        assertEquals(0, Main.run("synth", "--preset", "tiny-llama", "--type", "Q8_0", "--vocab-from",
                SharedData.model("llama3-tiny-random.gguf").toString(), "-o", model.toString()));
        // tasks/gsm8k.yaml as shipped but for a 32-token generation budget: a random model never stops early
        String yaml = java.nio.file.Files.readString(Path.of("tasks/gsm8k.yaml"))
                .replace("../../shared/data/tasks/gsm8k-test.jsonl", SharedData.resolve("data/tasks/gsm8k-test.jsonl").toString())
                .replace("  do_sample: false", "  do_sample: false\n  max_gen_toks: 32");
        YamlTask task = (YamlTask) YamlTaskLoader.load(java.nio.file.Files.writeString(tmp.resolve("gsm8k.yaml"), yaml));
        try (Engine engine = Engine.open(model, 2, "auto")) {
            int[] prompt = engine.tokenizer().encode(task.prompt(task.items().getFirst()), true, false);
            assertEquals(engine.tokenizer().vocab().bos(), prompt[0], "Llama 3 prompts start with <|begin_of_text|>");
            List<ItemOutcome> o = run(task, engine, 1);
            assertEquals(prompt.length, o.getFirst().promptTokens(), "the whole 5-shot prompt fits the 4096-token context");
            System.out.println("gsm8k, synth tiny-llama (Llama 3 vocab), 1 item: " + task.aggregate(o) + " " + o.getFirst());
        }
    }

    @Test
    void curriculumYamlAgreesWithDemosSolver() {
        YamlTask task = (YamlTask) YamlTaskLoader.load(Path.of("tasks/curriculum-test.yaml"));
        try (Engine engine = Engine.open(DefaultModel.resolve(), 2, "auto")) {
            CurriculumSolver solver = new CurriculumSolver(engine);
            List<ItemOutcome> outcomes = run(task, engine, 24);
            int agree = 0, correct = 0;
            for (int i = 0; i < outcomes.size(); i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> doc = (Map<String, Object>) new com.fasterxml.jackson.databind.ObjectMapper().convertValue(
                        docOf(task, i), Map.class);
                String target = (String) doc.get("target"), answer = (String) doc.get("answer");
                String steps = target.equals("=> " + answer) ? "" : target.substring(0, target.length() - (" => " + answer).length());
                Problem p = new Problem(Family.byId((String) doc.get("family")), (Integer) doc.get("difficulty"), (String) doc.get("prompt"), steps, answer);
                assertEquals(target, p.target(), "problem rebuilt from the JSONL");
                CurriculumSolver.Attempt a = solver.solve(p);
                assertEquals(a.correct(), outcomes.get(i).correct(), "item " + i + ": demo says " + a.output() + ", the task " + outcomes.get(i));
                agree++;
                if (a.correct()) correct++;
            }
            System.out.printf("curriculum-test.yaml, default model: %d/%d correct, %d/%d agree with demo's solver%n", correct, outcomes.size(), agree, outcomes.size());
            assertTrue(correct > 0, "the default model solves some of its own curriculum");
        }
    }

    private static Object docOf(YamlTask task, int i) {
        return task.doc(task.items().get(i));
    }
}
