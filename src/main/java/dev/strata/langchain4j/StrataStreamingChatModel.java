package dev.strata.langchain4j;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.strata.api.GenerateOptions;
import dev.strata.api.StrataModel;

/**
 * A LangChain4j {@link StreamingChatModel} over an in-process Strata model. Text pieces reach the
 * handler on the calling thread as they are decoded; failures go to {@code onError}, never thrown.
 */
public final class StrataStreamingChatModel implements StreamingChatModel {
    private final StrataModel model;
    private final GenerateOptions defaults;
    private final String name;

    public StrataStreamingChatModel(StrataModel model, GenerateOptions defaults) {
        this.model = model;
        this.defaults = defaults;
        this.name = model.engine().path().getFileName().toString();
    }

    public StrataStreamingChatModel(StrataModel model) {
        this(model, GenerateOptions.defaults());
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        try {
            var completion = model.streamChat(ChatRequests.messages(request), ChatRequests.options(request, defaults),
                    handler::onPartialResponse, () -> false);
            handler.onCompleteResponse(ChatRequests.response(completion, name));
        } catch (RuntimeException e) {
            handler.onError(e);
        }
    }
}
