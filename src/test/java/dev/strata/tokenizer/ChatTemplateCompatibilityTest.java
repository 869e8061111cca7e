package dev.strata.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.SharedData;
import dev.strata.StrataException;
import dev.strata.gguf.GgufFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shared HF template renders a plain conversation; templates embedded in the test GGUFs too. */
class ChatTemplateCompatibilityTest {
    private static final List<ChatMessage> CONVERSATION = List.of(ChatMessage.system("You are helpful."),
            ChatMessage.user("Hi"), ChatMessage.assistant("Hello!"), ChatMessage.user("How are you?"));

    /** Templates whose HF original raises on a system message, with the message it raises. */
    private static final Map<String, String> REJECTS_SYSTEM = Map.of("google-gemma-2-2b-it.jinja", "System role not supported");

    static Stream<Path> templates() throws IOException {
        Path dir = SharedData.resolve("chat-templates");
        List<Path> all = Files.list(dir).filter(p -> p.toString().endsWith(".jinja")).sorted().toList();
        assertEquals(17, all.size(), "shared chat templates");
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void rendersSystemUserAssistantUser(Path file) throws IOException {
        ChatTemplate t = new ChatTemplate(Files.readString(file), "<BOS>", "<EOS>");
        String name = file.getFileName().toString();
        List<ChatMessage> conversation = CONVERSATION;
        if (REJECTS_SYSTEM.containsKey(name)) {
            StrataException e = assertThrows(StrataException.class, () -> t.render(CONVERSATION, true));
            assertEquals(REJECTS_SYSTEM.get(name), e.getMessage());
            conversation = CONVERSATION.subList(1, CONVERSATION.size());
        }
        String out = t.render(conversation, true);
        int hi = out.indexOf("Hi");
        int hello = out.indexOf("Hello!", hi);
        int how = out.indexOf("How are you?", hello);
        assertTrue(hi >= 0 && hello > hi && how > hello, () -> name + " lost or reordered turns:\n" + out);
        if (!REJECTS_SYSTEM.containsKey(name)) assertTrue(out.contains("You are helpful."), name + " lost the system prompt");
        assertFalse(out.contains("null"), () -> name + " rendered a null:\n" + out);
        String withoutPrompt = t.render(conversation, false);
        assertTrue(out.length() >= withoutPrompt.length(), name);
    }

    @Test
    void qwen2GgufTemplateRenders() {
        try (GgufFile f = GgufFile.open(SharedData.require(SharedData.model("qwen2-tiny-random.gguf")))) {
            ChatTemplate t = ChatTemplate.fromGguf(f, "", "<|im_end|>");
            assertFalse(t.isFallback());
            String out = t.render(CONVERSATION, true);
            assertTrue(out.contains("<|im_start|>user\nHow are you?<|im_end|>\n"), out);
            assertTrue(out.endsWith("<|im_start|>assistant\n"), out);
        }
    }

    @Test
    void llama3GgufTemplateRenders() {
        try (GgufFile f = GgufFile.open(SharedData.require(SharedData.model("llama3-tiny-random.gguf")))) {
            ChatTemplate t = ChatTemplate.fromGguf(f, "<|begin_of_text|>", "<|eot_id|>");
            assertFalse(t.isFallback());
            String out = t.render(CONVERSATION, true);
            assertTrue(out.startsWith("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"), out);
            assertTrue(out.contains("<|start_header_id|>user<|end_header_id|>\n\nHow are you?<|eot_id|>"), out);
            assertTrue(out.endsWith("<|start_header_id|>assistant<|end_header_id|>\n\n"), out);
        }
    }

    @Test
    void modelWithoutTemplateFallsBackToChatMl() {
        try (GgufFile f = GgufFile.open(SharedData.require(SharedData.model("stories260K-F32.gguf")))) {
            ChatTemplate t = ChatTemplate.fromGguf(f, "<s>", "</s>");
            assertTrue(t.isFallback());
            assertEquals("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", t.render(List.of(ChatMessage.user("Hi")), true));
        }
    }
}
