package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.SharedData;
import dev.strata.generate.ChatSession;
import dev.strata.runtime.Engine;
import dev.strata.tokenizer.ChatMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The REPL on a terminal fed from a script: commands stay out of the conversation, continued lines join. */
class ChatCommandTest {

    @Test
    void commandsAreHandledLocallyAndBackslashContinuesALine() throws Exception {
        String script = "/help\nHello \\\nthere\n/timings\nHi\n/bogus\n/exit\nnever read\n";
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        ChatCommand command = new ChatCommand();
        new CommandLine(command).parseArgs("-n", "4", "--temp", "0");
        try (Engine engine = Engine.open(SharedData.model("qwen2-tiny-random.gguf"), 1, "panama");
             Terminal terminal = new DumbTerminal("test", Terminal.TYPE_DUMB,
                     new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), screen, StandardCharsets.UTF_8)) {
            ChatSession session = new ChatSession(engine, engine.newSequence(null, 0, 512), null);
            command.repl(terminal, session);
            String shown = screen.toString(StandardCharsets.UTF_8);
            assertTrue(shown.contains("/clear    forget the conversation"), shown);
            assertTrue(shown.contains("(timings on)"), shown);
            assertTrue(shown.contains("unknown command /bogus"), shown);
            assertEquals(1, shown.split("\\(prompt ", -1).length - 1, "timings only after the reply that follows /timings: " + shown);
            var users = session.history().stream().filter(m -> m.role().equals("user")).map(ChatMessage::content).toList();
            assertEquals(java.util.List.of("Hello \nthere", "Hi"), users);
        }
    }
}
