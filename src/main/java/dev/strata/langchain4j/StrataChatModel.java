package dev.strata.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.strata.api.GenerateOptions;
import dev.strata.api.StrataModel;

/**
 * A LangChain4j {@link ChatModel} that runs a Strata model in-process, with no HTTP. Request
 * parameters (temperature, top-p, top-k, max tokens, stop sequences) override {@code defaults}.
 * The model stays owned by the caller, who closes it.
 */
public final class StrataChatModel implements ChatModel {
    private final StrataModel model;
    private final GenerateOptions defaults;
    private final String name;

    public StrataChatModel(StrataModel model, GenerateOptions defaults) {
        this.model = model;
        this.defaults = defaults;
        this.name = model.engine().path().getFileName().toString();
    }

    public StrataChatModel(StrataModel model) {
        this(model, GenerateOptions.defaults());
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        var completion = model.chat(ChatRequests.messages(request), ChatRequests.options(request, defaults));
        return ChatRequests.response(completion, name);
    }
}
