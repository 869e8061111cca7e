package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.train.curriculum.Family;
import dev.strata.train.export.TrainedModelExport;
import dev.strata.train.model.ModelConfig;
import dev.strata.train.tokenize.TokenizerSpec;
import dev.strata.train.tokenize.TrainTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import dev.strata.train.Checkpoint;
import dev.strata.train.CheckpointLock;
import dev.strata.train.Durations;
import dev.strata.train.TrainOptions;
import dev.strata.train.Trainer;

/** {@code strata train}: trains a small llama model on the reasoning curriculum and prints a summary block. */
@Command(name = "train", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Train a small llama-architecture model on the reasoning curriculum (fp32, AdamW, data-parallel).")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--budget", description = "Wall-clock training time, e.g. 5m or 90s (start-up and evaluation excluded).")
    String budget;
    @Option(names = "--steps", description = "Number of optimizer steps (makes the schedule follow steps; bit-reproducible).")
    Long steps;
    @Option(names = "--families", defaultValue = "all", paramLabel = "LIST", description = "Comma-separated families: arithmetic, variables, comparison, kv, lists, or all.")
    String families;
    @Option(names = "--min-difficulty", defaultValue = "1", paramLabel = "D", description = "Lowest training difficulty (1-10).") int minDifficulty;
    @Option(names = "--max-difficulty", defaultValue = "4", paramLabel = "D", description = "Highest training difficulty.") int maxDifficulty;
    @Option(names = "--eval-max-difficulty", defaultValue = "0", description = "Also evaluate harder, untrained difficulties up to this.")
    int evalMaxDifficulty;
    @Option(names = "--tokenizer", defaultValue = "char", description = "char, bpe:<vocab size>, or a tokenizer JSON file.")
    String tokenizer;
    @Option(names = "--dim", defaultValue = "128", paramLabel = "N", description = "Model width (embedding length).") int dim;
    @Option(names = "--layers", defaultValue = "4", paramLabel = "N", description = "Transformer blocks.") int layers;
    @Option(names = "--heads", defaultValue = "4", paramLabel = "N", description = "Attention heads.") int heads;
    @Option(names = "--kv-heads", defaultValue = "0", description = "KV heads for GQA (0: same as heads).") int kvHeads;
    @Option(names = "--ffn", defaultValue = "0", description = "FFN width (0: 8/3 of dim, rounded up to 16).") int ffn;
    @Option(names = "--experts", defaultValue = "0", description = "MoE experts per layer (0: dense FFN).") int experts;
    @Option(names = "--experts-used", defaultValue = "2", paramLabel = "K", description = "MoE experts per token.") int expertsUsed;
    @Option(names = "--aux-coef", defaultValue = "0.01", description = "MoE load-balancing loss coefficient.") float auxCoef;
    @Option(names = "--rope-theta", defaultValue = "10000", paramLabel = "X", description = "RoPE base frequency.") float ropeTheta;
    @Option(names = "--seq", defaultValue = "256", description = "Training sequence length (also the model context).") int seqLen;
    @Option(names = "--batch", defaultValue = "8", description = "Sequences per step.") int batch;
    @Option(names = "--micro-batch", defaultValue = "1",
            description = "Sequences per forward pass in a worker; small keeps activations in cache.") int microBatch;
    @Option(names = "--lr", defaultValue = "3e-3", paramLabel = "X", description = "Peak learning rate (cosine schedule).") float lr;
    @Option(names = "--min-lr-fraction", defaultValue = "0.1", paramLabel = "X", description = "Final learning rate as a fraction of the peak.") float minLrFraction;
    @Option(names = "--warmup", defaultValue = "0.03", description = "Warmup as a fraction of the run.") float warmup;
    @Option(names = "--weight-decay", defaultValue = "0.1", paramLabel = "X", description = "AdamW weight decay.") float weightDecay;
    @Option(names = "--clip", defaultValue = "1.0", description = "Global gradient-norm clip (0: off).") float clip;
    @Option(names = "--threads", description = "Data-parallel workers (default: available processors).") Integer threads;
    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Seed for initialisation and data.") long seed;
    @Option(names = "--loop-train", description = "Stochastic layer repetition: some batches run a random block of layers twice.")
    boolean loopTrain;
    @Option(names = "--loop-prob", defaultValue = "0.5", paramLabel = "P", description = "With --loop-train: share of batches that repeat a block.") float loopProb;
    @Option(names = "--val-batches", defaultValue = "8", paramLabel = "N", description = "Validation batches per evaluation.") int valBatches;
    @Option(names = "--eval-problems", defaultValue = "50", description = "Held-out test problems per family and difficulty.")
    int evalProblems;
    @Option(names = "--checkpoint", description = "Checkpoint file, written periodically and at the end.") Path checkpoint;
    @Option(names = "--checkpoint-every", defaultValue = "5m", paramLabel = "TIME", description = "Checkpoint interval, e.g. 5m.") String checkpointEvery;
    @Option(names = "--resume", description = "Continue from a checkpoint (its model, data and options; --budget/--steps override).")
    Path resume;
    @Option(names = "--save-tokenizer", description = "Also write the tokenizer as JSON here.") Path saveTokenizer;
    @Option(names = "--no-progress", description = "Hide the progress bar.") boolean noProgress;
    @Option(names = "--stop-at-step", paramLabel = "N", description = "End this run at step N (checkpointed) without changing the"
            + " learning-rate schedule, which still follows --steps/--budget; --resume continues it exactly.") Long stopAtStep;
    @Option(names = "--export", paramLabel = "FILE", description = "Write the trained model as GGUF (llama, tokenizer included)."
            + " With --resume CK --steps 0, exports the checkpoint without training.") Path export;

    @Override
    public Integer call() {
        Trainer trainer;
        if (steps != null && steps == 0) return exportOnly();
        if (resume != null) {
            Checkpoint ck = Checkpoint.load(resume);
            TrainOptions o = ck.options();
            double newBudget = budget != null ? Durations.seconds(budget) : o.budgetSeconds();
            long newSteps = steps != null ? steps : o.maxSteps();
            TrainOptions merged = new TrainOptions(o.families(), o.minDifficulty(), o.maxDifficulty(), o.batch(), o.seqLen(), o.microBatch(),
                    o.learningRate(), o.minLrFraction(), o.warmup(), o.weightDecay(), o.gradClip(), newBudget, newSteps,
                    o.threads(), o.seed(), o.loopTrain(), o.loopProb(), o.valBatches(), o.evalProblems(),
                    o.evalMaxDifficulty(), o.checkpointEverySeconds());
            ck = new Checkpoint(ck.config(), merged, ck.tokenizer(), ck.progress(), ck.params(), ck.firstMoment(), ck.secondMoment());
            trainer = new Trainer(ck, checkpoint != null ? checkpoint : resume, !noProgress);
        } else {
            TrainOptions options = options();
            TrainTokenizer tok = TokenizerSpec.build(tokenizer, options.familyList(), options.minDifficulty(),
                    options.maxDifficulty(), seed);
            if (saveTokenizer != null) tok.save(saveTokenizer);
            trainer = new Trainer(modelConfig(tok.vocabSize()), options, tok, checkpoint, !noProgress);
        }
        if (stopAtStep != null) trainer.stopAfterStep = stopAtStep;
        Path written = checkpoint != null ? checkpoint : resume;
        Map<String, String> summary;
        try (CheckpointLock lock = written != null ? CheckpointLock.acquire(written) : null) {
            summary = trainer.run();
        }
        if (export != null) {
            TrainedModelExport.export(trainer.model().config(), trainer.model().params(), trainer.tokenizer(), trainer.options(),
                    Long.parseLong(summary.get("steps")), Long.parseLong(summary.get("tokens")), export);
            summary.put("exported", export.toString());
        }
        summary.forEach((k, v) -> System.out.println(k + ": " + v));
        return 0;
    }

    /** {@code --resume CK --steps 0 --export FILE}: converts a checkpoint to GGUF. */
    private int exportOnly() {
        if (resume == null || export == null) throw new StrataException("--steps 0 only exports: give --resume CHECKPOINT and --export FILE");
        Checkpoint ck = Checkpoint.load(resume);
        TrainedModelExport.export(ck, export);
        System.out.println("exported: " + export + " (step " + ck.progress().step() + ", " + ck.config().numParams() + " parameters)");
        return 0;
    }

    TrainOptions options() {
        if (budget == null && steps == null) throw new StrataException("give --budget (e.g. 5m) or --steps");
        List<String> familyIds = Family.parseList(families).stream().map(Family::id).toList();
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        return new TrainOptions(familyIds, minDifficulty, maxDifficulty, batch, seqLen, microBatch, lr, minLrFraction, warmup,
                weightDecay, clip, budget != null ? Durations.seconds(budget) : 0, steps != null ? steps : 0,
                workers, seed, loopTrain, loopProb, valBatches, evalProblems, evalMaxDifficulty, Durations.seconds(checkpointEvery));
    }

    ModelConfig modelConfig(int vocabSize) {
        int ffnDim = ffn > 0 ? ffn : dev.strata.train.TrainRecipe.defaultFfn(dim);
        ModelConfig c = new ModelConfig(vocabSize, dim, layers, heads, kvHeads > 0 ? kvHeads : heads, ffnDim, seqLen,
                ropeTheta, 1e-5f, 0, 0, 0f);
        return experts > 0 ? c.withExperts(experts, expertsUsed, auxCoef) : c;
    }
}
