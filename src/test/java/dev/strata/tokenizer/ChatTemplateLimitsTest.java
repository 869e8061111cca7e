package dev.strata.tokenizer;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.SharedData;
import dev.strata.StrataException;
import dev.strata.gguf.GgufFile;
import dev.strata.gguf.GgufWriter;
import dev.strata.runtime.Engine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hostile chat template is a clear error in bounded time, not a hang (issue #20 finding 6). */
class ChatTemplateLimitsTest {
    @TempDir
    Path dir;

    @Test
    void fiveThousandNestedParenthesesInAGgufTemplateFailAtOnceAndTheModelStillLoads() throws Exception {
        String template = "{{ " + "(".repeat(5000) + "1" + ")".repeat(5000) + " }}";
        Path file = dir.resolve("nested.gguf");
        try (GgufFile in = GgufFile.open(SharedData.require(SharedData.model("stories260K-F32.gguf")))) {
            GgufWriter w = new GgufWriter();
            GgufWriter.copyMetadata(in, w);
            GgufWriter.copyTensors(in, w);
            w.putString("tokenizer.chat_template", template);
            w.write(file);
        }
        try (Engine engine = Engine.open(file, 1, "scalar")) {
            StrataException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(StrataException.class,
                    () -> engine.chatTemplate().render(List.of(ChatMessage.user("hi")), true)));
            assertEquals("the chat template nests brackets 5000 deep, more than the limit of 64", e.getMessage());
            assertTrue(engine.tokenizer().encode("Once", true, true).length > 1, "plain completion still works");
        }
    }

    @Test
    void everySharedTemplateIsWithinTheLimits() throws Exception {
        try (var files = java.nio.file.Files.list(SharedData.resolve("chat-templates"))) {
            for (Path p : files.toList()) assertNull(ChatTemplateLimits.problem(java.nio.file.Files.readString(p)), p.toString());
        }
    }

    private static boolean rendererBusy() {
        return Thread.getAllStackTraces().entrySet().stream().anyMatch(e -> e.getKey().getName().equals("strata-chat-template")
                && e.getKey().getState() == Thread.State.RUNNABLE && e.getValue().length > 0
                && java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().startsWith("com.hubspot")));
    }

    @Test
    void aTemplateThatLoopsForeverIsStoppedByTheTimeLimit() throws Exception {
        String loops = "{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(1000) %}{% endfor %}{% endfor %}{% endfor %}";
        ChatTemplate t = new ChatTemplate(loops, "", "");
        StrataException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(StrataException.class, () -> t.render(List.of(ChatMessage.user("hi")), true)));
        assertTrue(e.getMessage().contains("took longer than"), e.getMessage());
        for (int i = 0; i < 200 && rendererBusy(); i++) Thread.sleep(10);
        assertFalse(rendererBusy(), "the cancelled rendering keeps running");
    }
}
