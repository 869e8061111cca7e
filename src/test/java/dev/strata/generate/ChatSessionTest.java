package dev.strata.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.SharedData;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.sample.SamplerConfig;
import dev.strata.tokenizer.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reusing the cached prefix between turns must give exactly what a fresh pass over the whole conversation gives. */
class ChatSessionTest {

    @Test
    void laterTurnsEqualAFreshGenerationOverTheRenderedHistory() {
        try (Engine engine = Engine.open(SharedData.model("qwen2-tiny-random.gguf"), 2, "panama")) {
            ChatSession session = new ChatSession(engine, engine.newSequence(null, 0, 512), "Be terse.");
            session.reply("Hello", SamplerConfig.greedy(), 6, List.of(), s -> {}, () -> false);
            GenerationResult second = session.reply("And again?", SamplerConfig.greedy(), 6, List.of(), s -> {}, () -> false);

            List<ChatMessage> upToSecond = new ArrayList<>(session.history().subList(0, 4));
            int[] prompt = engine.tokenizer().encode(engine.chatTemplate().render(upToSecond, true), false, true);
            GenerationResult fresh = Generator.generate(engine, engine.newSequence(null, 0, 512),
                    new GenerationRequest(prompt, SamplerConfig.greedy(), 6, List.of(), false), s -> {}, () -> false, new ForwardStats());
            assertArrayEquals(fresh.tokens(), second.tokens());
            assertEquals(5, session.history().size());
        }
    }

    @Test
    void clearKeepsOnlyTheSystemMessage() {
        try (Engine engine = Engine.open(SharedData.model("qwen2-tiny-random.gguf"), 1, "scalar")) {
            ChatSession session = new ChatSession(engine, engine.newSequence(null, 0, 256), "sys");
            session.reply("Hi", SamplerConfig.greedy(), 3, List.of(), s -> {}, () -> false);
            session.clear();
            assertEquals(List.of(ChatMessage.system("sys")), session.history());
        }
    }

    @Test
    void commonPrefixAlwaysLeavesOneTokenToFeed() {
        assertEquals(2, ChatSession.commonPrefix(new int[] {1, 2, 3}, new int[] {1, 2, 3}, 3));
        assertEquals(1, ChatSession.commonPrefix(new int[] {1, 2, 3}, new int[] {1, 5, 3}, 3));
        assertEquals(0, ChatSession.commonPrefix(new int[] {1, 2, 3}, new int[] {1, 2, 3, 4}, 0));
    }
}
