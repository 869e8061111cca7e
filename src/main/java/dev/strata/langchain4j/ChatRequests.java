package dev.strata.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.strata.StrataException;
import dev.strata.api.Completion;
import dev.strata.api.GenerateOptions;
import java.util.ArrayList;
import java.util.List;

/** Translation between LangChain4j's chat requests and responses and Strata's library API. */
final class ChatRequests {
    private ChatRequests() {}

    static List<dev.strata.tokenizer.ChatMessage> messages(ChatRequest request) {
        if (request.toolSpecifications() != null && !request.toolSpecifications().isEmpty()) {
            throw new StrataException("tool specifications are not supported by the in-process Strata model; "
                    + "use strata serve with langchain4j-open-ai for tool calling");
        }
        if (request.responseFormat() != null && request.responseFormat().type() == dev.langchain4j.model.chat.request.ResponseFormatType.JSON) {
            throw new StrataException("JSON response formats are not supported by the in-process Strata model; use strata serve");
        }
        List<dev.strata.tokenizer.ChatMessage> out = new ArrayList<>();
        for (ChatMessage m : request.messages()) out.add(message(m));
        return out;
    }

    private static dev.strata.tokenizer.ChatMessage message(ChatMessage m) {
        return switch (m) {
            case SystemMessage s -> dev.strata.tokenizer.ChatMessage.system(s.text());
            case UserMessage u when u.hasSingleText() -> dev.strata.tokenizer.ChatMessage.user(u.singleText());
            case UserMessage u -> throw new StrataException("only text user messages are supported, got " + u.contents().size() + " contents");
            case AiMessage a -> dev.strata.tokenizer.ChatMessage.assistant(a.text() == null ? "" : a.text());
            case ToolExecutionResultMessage t -> new dev.strata.tokenizer.ChatMessage("tool", t.text());
            default -> throw new StrataException("unsupported chat message type " + m.type());
        };
    }

    /** The request's parameters where it sets them, else the model's defaults. */
    static GenerateOptions options(ChatRequest request, GenerateOptions defaults) {
        GenerateOptions o = defaults;
        var s = o.sampling();
        if (request.temperature() != null) s = s.withTemperature(request.temperature().floatValue());
        if (request.topP() != null) s = s.withTopP(request.topP().floatValue());
        if (request.topK() != null) s = s.withTopK(request.topK());
        o = o.sampling(s);
        if (request.maxOutputTokens() != null) o = o.maxTokens(request.maxOutputTokens());
        if (request.stopSequences() != null && !request.stopSequences().isEmpty()) o = o.stop(request.stopSequences());
        return o;
    }

    static ChatResponse response(Completion c, String modelName) {
        return ChatResponse.builder()
                .aiMessage(AiMessage.from(c.text()))
                .modelName(modelName)
                .tokenUsage(new TokenUsage(c.promptTokens(), c.generatedTokens()))
                .finishReason(switch (c.finishReason()) {
                    case LENGTH -> FinishReason.LENGTH;
                    case CANCELLED -> FinishReason.OTHER;
                    default -> FinishReason.STOP;
                })
                .build();
    }
}
