package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.generate.GenerationRequest;
import dev.strata.generate.GenerationResult;
import dev.strata.generate.Generator;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true, description = "Continue a prompt, streaming the text, then print timings.")
public final class GenerateCommand implements Callable<Integer> {
    @Mixin ModelOptions model;
    @Mixin SamplingOptions sampling;

    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", description = "prompt text")
    String prompt;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "read the prompt from a file")
    Path promptFile;

    @Option(names = {"-n", "--n-predict"}, paramLabel = "N", description = "tokens to generate, -1 = until end of generation or a full context (default: -1)")
    int nPredict = -1;

    @Option(names = "--no-display-prompt", description = "do not echo the prompt")
    boolean noDisplayPrompt;

    @Option(names = "--no-special", description = "do not parse special-token text such as <|im_start|> in the prompt")
    boolean noParseSpecial;

    @Override
    public Integer call() throws IOException {
        String text = promptText();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (Engine engine = model.open()) {
            Sequence seq = engine.newSequence(model.layers, model.expertsPerToken, model.contextSize);
            int[] ids = engine.tokenizer().encode(text, true, !noParseSpecial);
            Generator.checkFits(seq, ids);
            if (!noDisplayPrompt) out.print(text);
            ForwardStats stats = new ForwardStats();
            GenerationResult r = Generator.generate(engine, seq, new GenerationRequest(ids, sampling.config(), nPredict, sampling.stop, sampling.ignoreEos),
                    s -> {
                        out.print(s);
                        out.flush();
                    }, () -> false, stats);
            out.println();
            printTimings(r);
            System.err.println(Accounting.line(engine, stats, seq.plan().steps().size()));
        }
        return 0;
    }

    private String promptText() throws IOException {
        if (prompt != null && promptFile != null) throw new StrataException("give the prompt with -p or -f, not both");
        if (promptFile != null) {
            return TextFiles.readUtf8(promptFile);
        }
        if (prompt == null || prompt.isEmpty()) throw new StrataException("no prompt: pass one with -p TEXT or -f FILE");
        return prompt;
    }

    static void printTimings(GenerationResult r) {
        double pms = r.promptNanos() / 1e6, gms = r.generationNanos() / 1e6;
        int gen = Math.max(0, r.tokens().length - 1);
        System.err.printf("%nstrata: prompt eval time = %10.2f ms / %5d tokens (%8.2f ms per token, %8.2f tokens per second)%n",
                pms, r.promptTokens(), pms / Math.max(1, r.promptTokens()), r.promptTokensPerSecond());
        System.err.printf("strata:        eval time = %10.2f ms / %5d runs   (%8.2f ms per token, %8.2f tokens per second)%n",
                gms, gen, gen == 0 ? 0 : gms / gen, r.generationTokensPerSecond());
        System.err.printf("strata:       total time = %10.2f ms / %5d tokens, finish reason: %s%n", pms + gms,
                r.promptTokens() + r.tokens().length, r.finishReason().apiName());
    }
}
