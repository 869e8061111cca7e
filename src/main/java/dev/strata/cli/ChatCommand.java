package dev.strata.cli;

import dev.strata.generate.GenerationRequest;
import dev.strata.generate.GenerationResult;
import dev.strata.generate.Generator;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;
import dev.strata.tokenizer.ChatMessage;
import dev.strata.tokenizer.ChatPrompt;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "chat", mixinStandardHelpOptions = true,
        description = "Interactive chat using the model's chat template. One message per line; /exit or end of input quits.")
public final class ChatCommand implements Callable<Integer> {
    @Mixin ModelOptions model;
    @Mixin SamplingOptions sampling;

    @Option(names = {"-sys", "--system-prompt"}, paramLabel = "TEXT", description = "system message")
    String system;

    @Option(names = {"-n", "--n-predict"}, paramLabel = "N", description = "tokens per reply, -1 = until end of turn (default: -1)")
    int nPredict = -1;

    @Option(names = "--parse-special-in-content", description = "parse special-token text such as <|im_end|> in messages as control tokens, as llama.cpp does (default: plain text)")
    boolean parseSpecialInContent;

    @Override
    public Integer call() throws IOException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Engine engine = model.open()) {
            if (engine.chatTemplate().isFallback()) System.err.println("strata: the model has no chat template; using ChatML");
            Sequence seq = engine.newSequence(model.layers, model.expertsPerToken, model.contextSize);
            List<ChatMessage> history = new ArrayList<>();
            if (system != null) history.add(new ChatMessage("system", system));
            int[] cached = new int[0];
            while (true) {
                out.print("> ");
                out.flush();
                String line = in.readLine();
                if (line == null || line.strip().equals("/exit")) break;
                if (line.isBlank()) continue;
                history.add(new ChatMessage("user", line));
                int[] ids = ChatPrompt.tokens(engine.chatTemplate(), engine.tokenizer(), history, true, parseSpecialInContent);
                int keep = commonPrefix(cached, ids, seq.position());
                seq.truncate(keep);
                GenerationResult r = Generator.generate(engine, seq,
                        new GenerationRequest(Arrays.copyOfRange(ids, keep, ids.length), sampling.config(), nPredict, sampling.stop, false),
                        s -> {
                            out.print(s);
                            out.flush();
                        }, () -> false, new ForwardStats());
                out.println();
                history.add(new ChatMessage("assistant", r.text()));
                int[] all = Arrays.copyOf(ids, ids.length + r.tokens().length);
                System.arraycopy(r.tokens(), 0, all, ids.length, r.tokens().length);
                cached = all;
            }
        }
        return 0;
    }

    /** Positions of the KV cache that the new prompt can reuse (at least one token is always re-fed). */
    static int commonPrefix(int[] cached, int[] ids, int position) {
        int n = Math.min(Math.min(cached.length, position), ids.length - 1);
        int i = 0;
        while (i < n && cached[i] == ids[i]) i++;
        return i;
    }
}
