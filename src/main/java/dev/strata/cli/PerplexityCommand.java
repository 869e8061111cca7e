package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.eval.likelihood.Perplexity;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "perplexity", mixinStandardHelpOptions = true,
        description = {"Perplexity of a text file as llama-perplexity computes it: chunks of -c tokens (default 512 here,",
                "as in llama-perplexity), the second half of each scored. Ends with 'Final estimate: PPL = X +/- Y'."})
public final class PerplexityCommand implements Callable<Integer> {
    /** llama-perplexity's default context size. */
    static final int DEFAULT_CONTEXT = 512;

    @Mixin ModelOptions model;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", required = true, description = "text file to score")
    Path file;

    @Option(names = "--chunks", paramLabel = "K", description = "score at most K chunks (default: all)")
    int chunks = -1;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "N", description = "tokens per forward pass (default: 2048, at most -c)")
    int batchSize = 2048;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file)) throw new StrataException(file + ": no such file");
        if (batchSize < 1) throw new StrataException("batch size must be positive, got " + batchSize);
        int nCtx = model.contextSize > 0 ? model.contextSize : DEFAULT_CONTEXT;
        String text = Files.readString(file, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (Engine engine = model.open()) {
            int trained = engine.model().config().contextLength();
            if (trained > 0 && nCtx > trained) System.err.printf("warning: the model was trained on only %d context tokens (%d specified)%n", trained, nCtx);
            int[] tokens = Perplexity.tokenize(engine.tokenizer(), text);
            int n = Perplexity.chunkCount(tokens.length, nCtx, chunks);
            System.err.printf("perplexity: %d tokens, %d chunks of %d, scoring the last %d tokens of each%n", tokens.length, n, nCtx, nCtx - nCtx / 2 - 1);
            ForwardStats stats = new ForwardStats();
            long t0 = System.nanoTime();
            StringBuilder estimates = new StringBuilder();
            Perplexity.Totals total;
            // the running estimates go to stdout in one line at the end, so they never interleave with the bar
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("perplexity").setInitialMax(n).setUnit(" chunks", 1)
                    .setStyle(ProgressBarStyle.ASCII).build()) {
                total = Perplexity.run(engine, ctx -> engine.newSequence(model.layers, model.expertsPerToken, ctx), tokens, nCtx, chunks,
                        batchSize, stats, t -> {
                            String ppl = String.format(Locale.ROOT, "%.4f", t.ppl());
                            estimates.append('[').append(bar.getCurrent() + 1).append(']').append(ppl).append(',');
                            bar.setExtraMessage("PPL " + ppl);
                            bar.step();
                        });
            }
            out.println(estimates);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.err.printf(Locale.ROOT, "perplexity: %d tokens evaluated in %.2f s (%.1f tokens per second)%n", stats.tokens, seconds, stats.tokens / seconds);
            out.printf(Locale.ROOT, "bits per byte of the scored tokens = %.5f (%d tokens, %d bytes)%n", total.bitsPerByte(), total.count(), total.bytes());
            double u = total.pplUncertainty();
            if (Double.isNaN(u)) {
                out.printf(Locale.ROOT, "Final estimate: PPL = %.4f (no uncertainty: the token NLLs do not vary)%n", total.ppl());
            } else {
                out.printf(Locale.ROOT, "Final estimate: PPL = %.4f +/- %.5f%n", total.ppl(), u);
            }
        }
        return 0;
    }
}
