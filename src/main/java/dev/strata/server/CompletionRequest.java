package dev.strata.server;

import dev.strata.sample.SamplerConfig;
import dev.strata.tokenizer.ChatMessage;
import java.util.List;

/**
 * A validated chat or text completion request. messages is null for /v1/completions, prompt null for chat;
 * maxTokens null = until the context is full.
 */
record CompletionRequest(List<ChatMessage> messages, String prompt, SamplerConfig sampling, Integer maxTokens,
                         List<String> stop, boolean stream, boolean includeUsage, String layers, int expertsPerToken,
                         boolean ignoreEos, ApiOptions options) {
    boolean isChat() {
        return messages != null;
    }

    /** The field a prompt-size error points at. */
    String promptParam() {
        return isChat() ? "messages" : "prompt";
    }
}
