package dev.strata.train;

import static org.junit.jupiter.api.Assertions.*;

import de.kherud.llama.LlamaCppOracle;
import dev.strata.gguf.GgufFile;
import dev.strata.weights.Model;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ExecutionPlan;
import dev.strata.runtime.Forward;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;
import dev.strata.runtime.WorkerPool;
import dev.strata.tensor.KernelProvider;
import dev.strata.tensor.Kernels;
import dev.strata.tokenizer.ChatMessage;
import dev.strata.tokenizer.ChatTemplate;
import dev.strata.tokenizer.Tokenizer;
import dev.strata.train.curriculum.Curriculum;
import dev.strata.train.curriculum.Family;
import dev.strata.train.curriculum.Problem;
import dev.strata.train.curriculum.Split;
import dev.strata.train.export.CurriculumFormat;
import dev.strata.train.export.TrainedModelExport;
import dev.strata.train.model.GreedyDecoder;
import dev.strata.train.solve.CurriculumSolver;
import dev.strata.train.model.ModelConfig;
import dev.strata.train.model.TransformerModel;
import dev.strata.train.model.Workspace;
import dev.strata.train.tokenize.TokenizerSpec;
import dev.strata.train.tokenize.TrainTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny model trained a few dozen steps, exported to GGUF, then run by two independent engines:
 * Strata's runtime must reproduce the trainer's own forward pass, and llama.cpp must tokenize
 * curriculum text like the trainer and produce the same greedy tokens as Strata.
 */
class GgufExportTest {
    static final KernelProvider K = Kernels.select("auto");
    static final List<Family> FAMILIES = List.of(Family.values());
    @TempDir static Path dir;
    static TrainTokenizer tok;
    static Trainer dense, moe;
    static Path denseFile, moeFile;

    @BeforeAll
    static void trainAndExport() {
        tok = TokenizerSpec.build("char", FAMILIES, 1, 3, 5);
        TrainOptions options = new TrainOptions(FAMILIES.stream().map(Family::id).toList(), 1, 3, 4, 128, 1, 1e-2f, 0.1f, 0.1f,
                0.0f, 1f, 0, 60, 2, 5, false, 0.5f, 1, 0, 0, 0);
        ModelConfig config = new ModelConfig(tok.vocabSize(), 32, 2, 4, 2, 64, 128, 10000f, 1e-5f, 0, 0, 0f);
        dense = run(config, options);
        moe = run(config.withExperts(4, 2, 0.01f), options);
        denseFile = dir.resolve("dense.gguf");
        moeFile = dir.resolve("moe.gguf");
        TrainedModelExport.export(config, dense.model().params(), tok, options, 60, 0, denseFile);
        TrainedModelExport.export(moe.model().config(), moe.model().params(), tok, options, 60, 0, moeFile);
    }

    private static Trainer run(ModelConfig config, TrainOptions options) {
        Trainer t = new Trainer(config, options, tok, null, false);
        t.peakMeasureSeconds = 0.01;
        t.run();
        return t;
    }

    static List<String> curriculumTexts(int perCell) {
        List<String> texts = new ArrayList<>();
        for (Family f : FAMILIES)
            for (int d = 1; d <= 3; d++) {
                Curriculum c = new Curriculum(d * 31L + f.ordinal(), Split.TEST, List.of(f), d, d);
                for (Problem p : c.take(perCell)) texts.add(p.plainText());
            }
        return texts;
    }

    @Test
    void strataTokenizesCurriculumTextLikeTheTrainer() {
        try (GgufFile f = GgufFile.open(denseFile)) {
            Tokenizer strata = Tokenizer.fromGguf(f);
            for (String text : curriculumTexts(4)) {
                assertArrayEquals(tok.encode(text), strata.encode(text, true, false), text);
                assertEquals(text, strata.decode(tok.encode(text)));
            }
            CurriculumFormat format = CurriculumFormat.read(f);
            assertEquals(FAMILIES, format.families());
            assertEquals(3, format.maxDifficulty());
            assertEquals("\n", new String(strata.piece(strata.vocab().eos(), false)), "generation stops at the newline");
            // the chat template renders a conversation as the curriculum's plain training text
            ChatTemplate template = ChatTemplate.fromGguf(f, "", "");
            Problem p = new Curriculum(3, Split.TEST, FAMILIES, 2, 2).next();
            assertEquals(p.plainPrefix(), template.render(List.of(ChatMessage.user(p.prompt())), true));
            assertEquals(p.plainText(), template.render(List.of(ChatMessage.user(p.prompt()), ChatMessage.assistant(p.target())), false));
        }
    }

    @Test
    void strataEngineLogitsMatchTheTrainersForward() {
        check(dense, denseFile);
        check(moe, moeFile);
    }

    private static void check(Trainer trainer, Path file) {
        TransformerModel model = trainer.model();
        try (WorkerPool pool = new WorkerPool(2); Model m = Model.load(file, K)) {
            Forward forward = new Forward(m, K, pool);
            double worst = 0;
            for (String text : curriculumTexts(1)) {
                int[] ids = tok.encode(text);
                Workspace ws = model.newWorkspace(1, ids.length, model.config().layers());
                int[] noTargets = new int[ids.length];
                java.util.Arrays.fill(noTargets, -1);
                model.forward(ws, ids, noTargets, model.defaultPath(), 1f, 0f);
                float[] expected = ws.probabilities();
                Sequence seq = new Sequence(m.config(), ExecutionPlan.identity(m.config().blockCount()), ids.length, 0);
                float[] logits = forward.forward(seq, ids, true, new ForwardStats());
                int vocab = tok.vocabSize();
                for (int t = 0; t < ids.length; t++) {
                    float[] p = softmax(logits, t * vocab, vocab);
                    for (int v = 0; v < vocab; v++) worst = Math.max(worst, Math.abs(p[v] - expected[t * vocab + v]));
                }
            }
            System.out.printf("%s: max |p_strata - p_trainer| = %.2e%n", file.getFileName(), worst);
            // Strata keeps keys and values F16-rounded like llama.cpp's cache (relative error 2^-11); a wrong
            // layout, RoPE pairing or norm would move probabilities by far more
            assertTrue(worst < 1e-3, file.getFileName() + ": probabilities differ by " + worst);
        }
    }

    private static float[] softmax(float[] logits, int off, int n) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int i = 0; i < n; i++) max = Math.max(max, logits[off + i]);
        float[] p = new float[n];
        for (int i = 0; i < n; i++) sum += p[i] = (float) Math.exp(logits[off + i] - max);
        for (int i = 0; i < n; i++) p[i] /= (float) sum;
        return p;
    }

    @Test
    void llamaCppTokenizesAndDecodesGreedilyLikeStrata() throws Exception {
        for (Path file : List.of(denseFile, moeFile)) {
            Trainer trainer = file == denseFile ? dense : moe;
            int compared = 0;
            try (LlamaCppOracle llama = new LlamaCppOracle(file, 128); WorkerPool pool = new WorkerPool(2); Model m = Model.load(file, K)) {
                Forward forward = new Forward(m, K, pool);
                GreedyDecoder trainerDecoder = new GreedyDecoder(trainer.model(), trainer.model().defaultPath());
                for (String text : curriculumTexts(2)) {
                    String prefix = text.substring(0, text.indexOf('?') + 2);
                    int[] prompt = tok.encode(prefix);
                    assertArrayEquals(prompt, llama.tokenize(prefix), "llama.cpp tokenization of '" + prefix + "'");
                    int steps = Math.min(24, 128 - prompt.length - 1);
                    List<String> theirs = llama.greedyPieces(prompt, steps);
                    Sequence seq = new Sequence(m.config(), ExecutionPlan.identity(m.config().blockCount()), prompt.length + steps + 1, 0);
                    float[] logits = forward.forward(seq, prompt, false, new ForwardStats());
                    int[] trainerOut = trainerDecoder.generate(prompt, steps, -1);
                    for (int i = 0; i < steps; i++) {
                        int best = GreedyDecoder.argmax(logits);
                        String mine = tok.decode(new int[] {best});
                        assertEquals(theirs.get(i), mine, file.getFileName() + " '" + prefix + "' step " + i);
                        assertEquals(trainerOut[i], best, "trainer's decoder vs Strata at step " + i);
                        compared++;
                        logits = forward.forward(seq, new int[] {best}, false, new ForwardStats());
                    }
                }
            }
            System.out.printf("%s: %d greedy tokens identical in llama.cpp, Strata and the trainer%n", file.getFileName(), compared);
            assertTrue(Files.size(file) > 0);
        }
    }

    @Test
    void solverOnStrataEngineWritesWhatTheTrainersDecoderWrites() {
        try (Engine engine = Engine.open(denseFile, 1, "auto")) {
            CurriculumSolver solver = new CurriculumSolver(engine);
            GreedyDecoder decoder = new GreedyDecoder(dense.model(), dense.model().defaultPath());
            int newline = tok.encode("\n")[0];
            List<Problem> problems = new ArrayList<>();
            for (Family f : FAMILIES) problems.addAll(CurriculumSolver.testProblems(f, 2, 3, 7));
            List<CurriculumSolver.Attempt> attempts = solver.solveAll(problems, 2);
            for (CurriculumSolver.Attempt a : attempts) {
                int[] prompt = tok.encode(a.problem().plainPrefix());
                int budget = Math.min(128 - prompt.length, 2 * tok.encode(a.problem().target()).length + 8);
                String expected = tok.decode(decoder.generate(prompt, budget, newline));
                assertEquals(expected, a.output(), a.problem().plainPrefix());
                assertEquals(a.problem().isCorrect(expected), a.correct());
                assertEquals(tok.encode(expected).length, a.generatedTokens());
            }
        }
    }

    @Test
    void demoCommandReportsAccuracyForTheExportedModel() {
        var out = new java.io.ByteArrayOutputStream();
        var previous = System.out;
        System.setOut(new java.io.PrintStream(out, true));
        int code;
        try {
            code = dev.strata.cli.Main.run("demo", "--accuracy-only", "-m", denseFile.toString(), "--problems", "2", "--markdown", "-t", "2");
        } finally {
            System.setOut(previous);
        }
        String text = out.toString();
        assertEquals(0, code, text);
        assertTrue(text.contains("| kv | 4 | no | 2 |"), text);
        assertTrue(text.contains("accuracy: ") && text.contains("tokens/s: "), text);
    }

    @Test
    void exportAtTheEndOfTrainingEqualsExportingItsCheckpoint() throws Exception {
        Path ck = dir.resolve("cli.ck"), atEnd = dir.resolve("end.gguf"), fromCk = dir.resolve("ck.gguf");
        String[] train = {"train", "--steps", "3", "--dim", "16", "--layers", "1", "--heads", "2", "--seq", "64", "--batch", "2",
                "--families", "lists", "--max-difficulty", "1", "--eval-problems", "0", "--val-batches", "1", "--threads", "1",
                "--no-progress", "--checkpoint", ck.toString(), "--export", atEnd.toString()};
        assertEquals(0, dev.strata.cli.Main.run(train));
        assertEquals(0, dev.strata.cli.Main.run("train", "--resume", ck.toString(), "--steps", "0", "--export", fromCk.toString()));
        assertArrayEquals(Files.readAllBytes(atEnd), Files.readAllBytes(fromCk));
        try (GgufFile f = GgufFile.open(fromCk)) {
            assertEquals(3, f.getLong("strata.train.steps", -1));
            assertEquals(List.of(Family.LIST_OPS), CurriculumFormat.read(f).families());
        }
        assertNotEquals(0, dev.strata.cli.Main.run("train", "--steps", "0", "--export", fromCk.toString()), "--steps 0 needs --resume");
    }
}
