package dev.strata.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.service.AiServices;
import dev.strata.SharedData;
import dev.strata.StrataException;
import dev.strata.api.GenerateOptions;
import dev.strata.api.LoadOptions;
import dev.strata.api.Strata;
import dev.strata.api.StrataModel;
import dev.strata.tokenizer.ChatMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** LangChain4j's own AiServices and request types driving the in-process provider. */
class StrataChatModelTest {
    interface Assistant {
        String chat(String message);
    }

    static StrataModel model;

    @BeforeAll
    static void load() {
        model = Strata.load(SharedData.model("qwen2-tiny-random.gguf"), LoadOptions.defaults().threads(2));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static String direct(List<ChatMessage> messages, int maxTokens) {
        return model.chat(messages, GenerateOptions.greedy().maxTokens(maxTokens)).text();
    }

    @Test
    void aiServicesGetsWhatTheLibraryAnswers() {
        var chat = new StrataChatModel(model, GenerateOptions.greedy().maxTokens(12));
        Assistant assistant = AiServices.create(Assistant.class, chat);
        assertEquals(direct(List.of(ChatMessage.user("Hello there")), 12), assistant.chat("Hello there"));
    }

    @Test
    void requestParametersOverrideTheDefaultsAndUsageIsReported() {
        var chat = new StrataChatModel(model, GenerateOptions.greedy().maxTokens(40));
        ChatResponse r = chat.chat(ChatRequest.builder()
                .messages(SystemMessage.from("Be terse."), UserMessage.from("Hi"))
                .maxOutputTokens(5).build());
        assertEquals(direct(List.of(ChatMessage.system("Be terse."), ChatMessage.user("Hi")), 5), r.aiMessage().text());
        assertEquals(5, r.tokenUsage().outputTokenCount());
        assertEquals(FinishReason.LENGTH, r.finishReason());
    }

    @Test
    void streamingDeliversPiecesThenTheWholeResponse() throws Exception {
        var streaming = new StrataStreamingChatModel(model, GenerateOptions.greedy().maxTokens(10));
        StringBuilder pieces = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        streaming.chat(List.of(UserMessage.from("Hello there")), new StreamingChatResponseHandler() {
            @Override public void onPartialResponse(String text) { pieces.append(text); }
            @Override public void onCompleteResponse(ChatResponse response) { done.complete(response); }
            @Override public void onError(Throwable error) { done.completeExceptionally(error); }
        });
        ChatResponse r = done.get(60, TimeUnit.SECONDS);
        assertEquals(direct(List.of(ChatMessage.user("Hello there")), 10), r.aiMessage().text());
        assertEquals(r.aiMessage().text(), pieces.toString());
    }

    @Test
    void unsupportedRequestsReachOnErrorWithAClearMessage() throws Exception {
        var streaming = new StrataStreamingChatModel(model);
        CompletableFuture<Throwable> error = new CompletableFuture<>();
        streaming.chat(ChatRequest.builder().messages(UserMessage.from("x"))
                .toolSpecifications(dev.langchain4j.agent.tool.ToolSpecification.builder().name("f").build()).build(),
                new StreamingChatResponseHandler() {
                    @Override public void onCompleteResponse(ChatResponse response) { error.complete(null); }
                    @Override public void onError(Throwable e) { error.complete(e); }
                });
        Throwable e = error.get(10, TimeUnit.SECONDS);
        assertNotNull(e);
        assertInstanceOf(StrataException.class, e);
    }
}
