package dev.strata.tokenizer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.strata.FuzzSupport;
import dev.strata.StrataException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Jazzer target: the chat-template renderer. The input up to the first NUL is the template, the rest the user's
 * message. Rendering must end (within the time limit) with text or a StrataException.
 */
class ChatTemplateFuzzTest {
    public static void fuzzerTestOneInput(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        int nul = text.indexOf('\0');
        String source = nul < 0 ? text : text.substring(0, nul);
        String content = nul < 0 ? "hello" : text.substring(nul + 1);
        try {
            new ChatTemplate(source, "<s>", "</s>").render(List.of(ChatMessage.system("be brief"), ChatMessage.user(content)), true);
        } catch (StrataException e) {
            // a template error, the time limit or a size limit: all reported as one line
        }
    }

    @FuzzTest(maxDuration = "10m")
    void fuzz(byte[] data) {
        fuzzerTestOneInput(data);
    }

    @Test
    void corpusAndSeededMutants() {
        assertTrue(FuzzSupport.replayAndMutate(ChatTemplateFuzzTest.class, ChatTemplateFuzzTest::fuzzerTestOneInput, 100, 20) > 100);
    }
}
