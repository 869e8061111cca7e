package dev.strata.train;

import dev.strata.StrataException;
import dev.strata.train.curriculum.Curriculum;
import dev.strata.train.curriculum.Split;
import dev.strata.train.model.ModelConfig;
import dev.strata.train.model.StepTimes;
import dev.strata.train.model.TransformerModel;
import dev.strata.train.ops.PeakFlops;
import dev.strata.train.optim.LearningRateSchedule;
import dev.strata.train.tokenize.TrainTokenizer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The training loop: curriculum batches, data-parallel steps under a step or wall-clock budget,
 * periodic checkpoints, then validation and held-out exact-match evaluation. Start-up (peak FLOP/s
 * measurement, validation set) and checkpoint writes do not count as training time.
 */
public final class Trainer {
    private final TransformerModel model;
    private final TrainOptions options;
    private final TrainTokenizer tokenizer;
    private final Checkpoint resumeFrom;
    private final Path checkpointFile;
    private final boolean showProgress;
    /** Stops the loop early, as an interruption would, without changing the schedule (tests). */
    public long stopAfterStep = Long.MAX_VALUE;
    /** How long to measure the FMA peak for MFU; shortened by tests. */
    double peakMeasureSeconds = 1.0;

    /** Measures the FMA peak (for MFU) for this long instead of a second; research runs that train many small models shorten it. */
    public Trainer measurePeakFor(double seconds) {
        this.peakMeasureSeconds = seconds;
        return this;
    }

    public Trainer(ModelConfig config, TrainOptions options, TrainTokenizer tokenizer, Path checkpointFile, boolean showProgress) {
        this.model = new TransformerModel(config);
        this.model.initialize(options.seed());
        this.options = options;
        this.tokenizer = tokenizer;
        this.resumeFrom = null;
        this.checkpointFile = checkpointFile;
        this.showProgress = showProgress;
        validate();
    }

    public Trainer(Checkpoint checkpoint, Path checkpointFile, boolean showProgress) {
        this.model = new TransformerModel(checkpoint.config(), checkpoint.params().clone());
        this.options = checkpoint.options();
        this.tokenizer = checkpoint.tokenizer();
        this.resumeFrom = checkpoint;
        this.checkpointFile = checkpointFile;
        this.showProgress = showProgress;
        validate();
    }

    private void validate() {
        if (options.budgetSeconds() <= 0 && options.maxSteps() <= 0) throw new StrataException("give a time budget or a step count");
        if (tokenizer.vocabSize() != model.config().vocabSize())
            throw new StrataException("tokenizer has " + tokenizer.vocabSize() + " tokens but the model expects " + model.config().vocabSize());
        if (options.seqLen() > model.config().contextLength()) throw new StrataException("sequence length exceeds the model's context");
    }

    /** Trains, evaluates and returns the summary block in order. */
    public Map<String, String> run() {
        ModelConfig config = model.config();
        double peak = PeakFlops.measure(options.threads(), peakMeasureSeconds);
        var families = options.familyList();
        BatchBuilder data = new BatchBuilder(new Curriculum(options.seed(), Split.TRAIN, families,
                options.minDifficulty(), options.maxDifficulty()), tokenizer, options.batch(), options.seqLen());
        Evaluator evaluator = new Evaluator(tokenizer, families, options.minDifficulty(), options.maxDifficulty(),
                options.batch(), options.seqLen(), options.valBatches(), options.seed() + 1);
        int maxPath = options.loopTrain() ? 2 * config.layers() : config.layers();
        LearningRateSchedule schedule = new LearningRateSchedule(options.learningRate(), options.warmup(), options.minLrFraction());
        long step = 0, tokens = 0;
        double trainingSeconds = 0, lastLoss = Double.NaN, flopsDone = 0;
        try (DataParallelTrainer trainer = new DataParallelTrainer(model, options.batch(), options.seqLen(),
                options.threads(), options.microBatch(), maxPath, options.weightDecay());
             ProgressBar bar = showProgress ? progressBar() : null) {
            if (resumeFrom != null) {
                Checkpoint.Progress p = resumeFrom.progress();
                step = p.step();
                tokens = p.tokens();
                trainingSeconds = p.trainingSeconds();
                data.skipProblems(p.problemsPlaced());
                System.arraycopy(resumeFrom.firstMoment(), 0, trainer.optimizer().firstMoment(), 0, model.params().length);
                System.arraycopy(resumeFrom.secondMoment(), 0, trainer.optimizer().secondMoment(), 0, model.params().length);
                trainer.optimizer().restoreStep(p.optimizerStep());
            }
            double lastCheckpoint = trainingSeconds;
            while (!finished(step, trainingSeconds) && step < stopAfterStep) {
                long t0 = System.nanoTime();
                int[][] batch = data.next();
                float lr = schedule.at(progress(step, trainingSeconds));
                int[] path = samplePath(step);
                var result = trainer.step(batch[0], batch[1], path, lr, options.gradClip());
                flopsDone += (double) options.batch() * options.seqLen() * config.trainingFlopsPerToken(options.seqLen(), path.length);
                trainingSeconds += (System.nanoTime() - t0) / 1e9;
                step++;
                tokens += (long) options.batch() * options.seqLen();
                lastLoss = result.loss();
                if (!Double.isFinite(lastLoss)) throw new StrataException("training diverged at step " + step + " (loss " + lastLoss + ")");
                if (bar != null) {
                    bar.stepTo(Math.round(1000 * progress(step, trainingSeconds)));
                    bar.setExtraMessage(String.format("loss %.4f  %.0f tok/s", lastLoss, tokens / Math.max(trainingSeconds, 1e-9)));
                }
                if (checkpointFile != null && options.checkpointEverySeconds() > 0
                        && trainingSeconds - lastCheckpoint >= options.checkpointEverySeconds()) {
                    checkpoint(trainer, step, tokens, trainingSeconds, data).save(checkpointFile);
                    lastCheckpoint = trainingSeconds;
                }
            }
            if (checkpointFile != null) checkpoint(trainer, step, tokens, trainingSeconds, data).save(checkpointFile);
            StepTimes.Seconds parts = trainer.partSeconds(); // before evaluation adds forward passes

            Map<String, String> summary = new LinkedHashMap<>();
            Evaluator.ValidationResult val = evaluator.validate(trainer, model.defaultPath());
            summary.put("val_loss", String.format(Locale.ROOT, "%.4f", val.loss()));
            summary.put("val_bpb", String.format(Locale.ROOT, "%.4f", val.bitsPerByte()));
            int evalMax = Math.max(options.maxDifficulty(), options.evalMaxDifficulty());
            if (options.evalProblems() > 0) {
                var accuracy = evaluator.taskAccuracy(model, model.defaultPath(), families, options.minDifficulty(), evalMax,
                        options.evalProblems(), options.threads(), options.seed() + 2);
                accuracy.forEach((cell, acc) -> summary.put("task_accuracy." + cell, String.format(Locale.ROOT, "%.3f", acc)));
            }
            double tokensPerSecond = tokens / Math.max(trainingSeconds, 1e-9);
            // FLOPs of this session's steps (a resumed run's earlier steps were timed elsewhere)
            long stepsHere = step - (resumeFrom != null ? resumeFrom.progress().step() : 0);
            double secondsHere = trainingSeconds - (resumeFrom != null ? resumeFrom.progress().trainingSeconds() : 0);
            double flops = stepsHere > 0 ? flopsDone / Math.max(secondsHere, 1e-9) : 0;
            summary.put("training_seconds", String.format(Locale.ROOT, "%.1f", trainingSeconds));
            summary.put("tokens", Long.toString(tokens));
            summary.put("tokens_per_second", String.format(Locale.ROOT, "%.0f", tokensPerSecond));
            summary.put("training_flops", String.format(Locale.ROOT, "%.6e", trainingFlops(step)));
            summary.put("num_params", Long.toString(config.numParams()));
            summary.put("active_params", Long.toString(config.activeParams()));
            summary.put("mfu", String.format(Locale.ROOT, "%.4f", flops / peak));
            summary.put("steps", Long.toString(step));
            summary.put("final_train_loss", String.format(Locale.ROOT, "%.4f", lastLoss));
            summary.put("gflops_per_second", String.format(Locale.ROOT, "%.1f", flops / 1e9));
            summary.put("peak_gflops_per_second", String.format(Locale.ROOT, "%.1f", peak / 1e9));
            // thread-seconds of this session's steps in the two kinds of matrix products (the rest is element-wise work and waiting)
            summary.put("linear_seconds", String.format(Locale.ROOT, "%.3f", parts.linear()));
            summary.put("attention_seconds", String.format(Locale.ROOT, "%.3f", parts.attention()));
            return summary;
        }
    }

    /** Training FLOPs of steps 0..steps-1, resumed sessions' included: each step's layer path is a function of the step. */
    double trainingFlops(long steps) {
        return trainingFlops(model.config(), options, steps);
    }

    /** As {@link #trainingFlops(long)}, from the configuration and options alone (an export from a checkpoint has no trainer). */
    public static double trainingFlops(ModelConfig config, TrainOptions options, long steps) {
        double total = 0;
        for (long s = 0; s < steps; s++) {
            total += (double) options.batch() * options.seqLen() * config.trainingFlopsPerToken(options.seqLen(), samplePath(options, config.layers(), s).length);
        }
        return total;
    }

    private ProgressBar progressBar() {
        return new ProgressBarBuilder().setTaskName("train").setInitialMax(1000).setUnit("‰", 1)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).continuousUpdate().build();
    }

    private boolean finished(long step, double seconds) {
        return (options.maxSteps() > 0 && step >= options.maxSteps())
                || (options.budgetSeconds() > 0 && seconds >= options.budgetSeconds());
    }

    /** Fraction of the run done: by steps when a step limit is set, else by wall-clock budget. */
    private double progress(long step, double seconds) {
        return options.maxSteps() > 0 ? step / (double) options.maxSteps() : seconds / options.budgetSeconds();
    }

    /**
     * Loop training: with probability loopProb, run a random contiguous block of layers twice
     * (0..j, i..j, j+1..L-1). Seeded by step, so resumed runs draw the same paths.
     */
    int[] samplePath(long step) {
        return samplePath(options, model.config().layers(), step);
    }

    private static int[] samplePath(TrainOptions options, int layers, long step) {
        int[] normal = new int[layers];
        for (int l = 0; l < layers; l++) normal[l] = l;
        if (!options.loopTrain()) return normal;
        SplittableRandom rng = new SplittableRandom(options.seed() * 0x9E3779B97F4A7C15L + step);
        if (rng.nextDouble() >= options.loopProb()) return normal;
        int i = rng.nextInt(layers), j = i + rng.nextInt(layers - i);
        int[] path = new int[layers + j - i + 1];
        int n = 0;
        for (int l = 0; l <= j; l++) path[n++] = l;
        for (int l = i; l <= j; l++) path[n++] = l;
        for (int l = j + 1; l < layers; l++) path[n++] = l;
        return path;
    }

    private Checkpoint checkpoint(DataParallelTrainer trainer, long step, long tokens, double seconds, BatchBuilder data) {
        return new Checkpoint(model.config(), options, tokenizer,
                new Checkpoint.Progress(step, tokens, seconds, data.problemsPlaced(), trainer.optimizer().stepCount()),
                model.params().clone(), trainer.optimizer().firstMoment().clone(), trainer.optimizer().secondMoment().clone());
    }

    public TransformerModel model() {
        return model;
    }

    public TrainTokenizer tokenizer() {
        return tokenizer;
    }

    public TrainOptions options() {
        return options;
    }
}
