package dev.strata.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.models.Model;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK against a live server; greedy answers must equal the Generator's. */
class ServerOpenAiSdkTest {
    private static TestServer fixture;
    private static OpenAIClient client;

    @BeforeAll
    static void start() {
        fixture = new TestServer(ServerConfig.loopback(0, 2, 8));
        client = OpenAIOkHttpClient.builder().baseUrl(fixture.base() + "/v1").apiKey("unused").maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        fixture.close();
    }

    private static ChatCompletionCreateParams.Builder chat(String user, int maxTokens) {
        return ChatCompletionCreateParams.builder().model(fixture.server.modelId()).addUserMessage(user)
                .maxCompletionTokens(maxTokens).temperature(0.0);
    }

    @Test
    void greedyChatEqualsGenerator() {
        ChatCompletion c = client.chat().completions().create(chat("Tell me a story about a cat.", 24).build());
        assertEquals(fixture.greedyChat("Tell me a story about a cat.", 24), c.choices().get(0).message().content().orElseThrow());
        assertEquals(fixture.server.modelId(), c.model());
        long completionTokens = c.usage().orElseThrow().completionTokens();
        assertTrue(completionTokens >= 1 && completionTokens <= 24);
        String finish = c.choices().get(0).finishReason().asString();
        assertTrue(finish.equals("stop") || finish.equals("length"), finish);
    }

    @Test
    void streamingChatConcatenatesToGreedyAnswerWithUsage() {
        var params = chat("Once upon a time", 20)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        StringBuilder text = new StringBuilder();
        List<String> finishReasons = new ArrayList<>();
        long[] usageTokens = {-1};
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                chunk.usage().ifPresent(u -> usageTokens[0] = u.completionTokens());
                for (var choice : chunk.choices()) {
                    choice.delta().content().ifPresent(text::append);
                    choice.finishReason().ifPresent(f -> finishReasons.add(f.asString()));
                }
            });
        }
        assertEquals(fixture.greedyChat("Once upon a time", 20), text.toString());
        assertEquals(1, finishReasons.size());
        assertTrue(usageTokens[0] >= 1, "usage chunk expected");
    }

    @Test
    void textCompletionEqualsGenerator() {
        Completion c = client.completions().create(CompletionCreateParams.builder().model(fixture.server.modelId())
                .prompt("Once upon a time, there was a little").maxTokens(16).temperature(0.0).build());
        assertEquals(fixture.greedyCompletion("Once upon a time, there was a little", 16), c.choices().get(0).text());
        assertEquals(16, c.usage().orElseThrow().completionTokens());
        assertEquals("length", c.choices().get(0).finishReason().asString());
    }

    @Test
    void stopStringEndsTheAnswerEarly() {
        String full = fixture.greedyCompletion("Once upon a time", 24);
        String stop = full.substring(full.length() / 2, full.length() / 2 + 3);
        Completion c = client.completions().create(CompletionCreateParams.builder().model(fixture.server.modelId())
                .prompt("Once upon a time").maxTokens(24).temperature(0.0).stop(stop).build());
        assertEquals(full.substring(0, full.indexOf(stop)), c.choices().get(0).text());
        assertEquals("stop", c.choices().get(0).finishReason().asString());
    }

    @Test
    void modelsListNamesTheServedModel() {
        List<Model> models = client.models().list().data();
        assertEquals(1, models.size());
        assertEquals("stories260K-F32", models.get(0).id());
        assertFalse(models.get(0).ownedBy().isEmpty());
    }
}
