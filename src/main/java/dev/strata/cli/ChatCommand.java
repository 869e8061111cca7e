package dev.strata.cli;

import dev.strata.generate.ChatSession;
import dev.strata.generate.GenerationResult;
import dev.strata.runtime.Engine;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"Interactive chat using the model's chat template (ChatML when it has none).",
                "Line editing and history; end a line with \\ to continue it; Ctrl-C stops a reply, Ctrl-D or /exit quits.",
                "Commands: /help, /clear, /timings, /exit."})
public final class ChatCommand implements Callable<Integer> {
    static final String HELP = """
            /help     this list
            /clear    forget the conversation (the system message stays)
            /timings  show prompt and generation speed after each reply (toggle)
            /exit     quit (also Ctrl-D)
            End a line with \\ to continue on the next line. Ctrl-C stops the current reply.""";

    @Mixin ModelOptions model;
    @Mixin SamplingOptions sampling;

    @Option(names = {"-sys", "--system-prompt"}, paramLabel = "TEXT", description = "system message (default: none)")
    String system;

    @Option(names = {"-n", "--n-predict"}, paramLabel = "N", description = "tokens per reply, -1 = until end of turn (default: ${DEFAULT-VALUE})")
    int nPredict = -1;

    @Override
    public Integer call() throws IOException {
        try (Engine engine = model.open(); Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build()) {
            if (engine.chatTemplate().isFallback()) System.err.println("strata: the model has no chat template; using ChatML");
            var session = new ChatSession(engine, engine.newSequence(model.layers, model.expertsPerToken, model.contextSize), system);
            repl(terminal, session);
        }
        return 0;
    }

    void repl(Terminal terminal, ChatSession session) {
        LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("strata")
                .parser(new DefaultParser().escapeChars(null)).option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, ". ").build();
        PrintWriter out = terminal.writer();
        boolean timings = false;
        AtomicBoolean stop = new AtomicBoolean();
        terminal.handle(Terminal.Signal.INT, signal -> stop.set(true));
        while (true) {
            String line;
            try {
                line = readMessage(reader);
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                break;
            }
            if (line == null) break;
            String command = line.strip();
            if (command.isEmpty()) continue;
            switch (command) {
                case "/exit", "/quit" -> { return; }
                case "/help" -> { out.println(HELP); out.flush(); continue; }
                case "/clear" -> { session.clear(); out.println("(conversation cleared)"); out.flush(); continue; }
                case "/timings" -> {
                    timings = !timings;
                    out.println("(timings " + (timings ? "on" : "off") + ")");
                    out.flush();
                    continue;
                }
                default -> {
                    if (command.startsWith("/") && !command.contains(" ")) {
                        out.println("unknown command " + command + "; /help lists them");
                        out.flush();
                        continue;
                    }
                }
            }
            stop.set(false);
            GenerationResult r = session.reply(line, sampling.config(), nPredict, sampling.stop, text -> {
                out.print(text);
                out.flush();
            }, stop::get);
            out.println(stop.get() ? " [stopped]" : "");
            if (timings) {
                out.printf(Locale.ROOT, "(prompt %d tokens, %.1f t/s; reply %d tokens, %.1f t/s)%n", r.promptTokens(),
                        r.promptTokensPerSecond(), r.tokens().length, r.generationTokensPerSecond());
            }
            out.flush();
        }
    }

    /** One message: lines ending in a backslash continue on the next line. */
    private static String readMessage(LineReader reader) {
        StringBuilder message = new StringBuilder();
        String prompt = "> ";
        while (true) {
            String line = reader.readLine(prompt);
            if (line.endsWith("\\")) {
                message.append(line, 0, line.length() - 1).append('\n');
                prompt = ". ";
                continue;
            }
            return message.append(line).toString();
        }
    }
}
