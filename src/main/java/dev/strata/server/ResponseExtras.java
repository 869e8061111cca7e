package dev.strata.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.generate.GenerationRequest;
import dev.strata.generate.GenerationResult;
import dev.strata.runtime.Engine;
import dev.strata.sample.LogitAdjustments;
import dev.strata.sample.LogitProcessor;
import dev.strata.sample.grammar.Grammar;
import dev.strata.sample.grammar.GrammarConstraint;
import dev.strata.sample.grammar.GrammarVocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One request's structured-output, logprobs, bias and tool-call handling around the plain generation:
 * builds the logit processors and token listener, and adds logprobs and tool_calls to the response.
 */
final class ResponseExtras {
    private final CompletionRequest req;
    private final ApiOptions options;
    private final TokenLogprobs logprobs;
    private final ToolCalling.Format toolFormat;
    private final ToolStreamFilter toolStream;
    private final LogitProcessor processor;
    private int legacyOffset;

    ResponseExtras(Engine engine, CompletionRequest req) {
        this.req = req;
        this.options = req.options();
        this.logprobs = options.logprobs() >= 0 ? new TokenLogprobs(engine.tokenizer(), options.logprobs(), req.ignoreEos()) : null;
        ApiOptions.Tools tools = options.tools();
        this.toolFormat = tools.active() ? ToolCalling.Format.of(engine.chatTemplate().source()) : null;
        if (tools.active() && toolFormat == null) {
            throw ApiException.invalidRequest("The model's chat template does not render tools, so 'tools' cannot be used with it", "tools");
        }
        this.toolStream = toolFormat == null ? null : new ToolStreamFilter(toolFormat, tools.forced());
        Grammar grammar = options.constraint() != null ? options.constraint().grammar() : tools.forced() ? toolGrammar(tools) : null;
        List<LogitProcessor> processors = new ArrayList<>();
        processors.add(LogitAdjustments.of(options.logitBias(), options.presencePenalty(), options.frequencyPenalty()));
        if (grammar != null) processors.add(new GrammarConstraint(grammar, GrammarVocabulary.of(engine.tokenizer())));
        this.processor = LogitProcessor.chain(processors);
    }

    private Grammar toolGrammar(ApiOptions.Tools tools) {
        List<JsonNode> functions = new ArrayList<>();
        for (JsonNode t : tools.tools()) {
            if (tools.function() == null || tools.function().equals(t.path("function").path("name").asText())) functions.add(t.get("function"));
        }
        return StructuredOutput.compile(ToolCalling.grammar(toolFormat, functions, tools.parallel()), "tools").grammar();
    }

    /** Template variables: the tools, when the model should see them. */
    static Map<String, Object> templateVariables(ApiOptions options) {
        if (!options.tools().active()) return Map.of();
        return Map.of("tools", JsonFields.MAPPER.convertValue(options.tools().tools(), List.class));
    }

    GenerationRequest generation(int[] prompt, int maxTokens) {
        return new GenerationRequest(prompt, req.sampling(), maxTokens, req.stop(), req.ignoreEos(), processor, logprobs);
    }

    /** Fills a non-streamed choice: message content or tool_calls, logprobs, and the finish reason. */
    void respond(ObjectNode choice, GenerationResult result, String finishReason) {
        String reason = finishReason;
        if (req.isChat()) {
            ObjectNode message = choice.putObject("message").put("role", "assistant");
            ToolCalling.Parsed parsed = toolFormat == null ? null : ToolCalling.parse(toolFormat, result.text());
            if (parsed != null && !parsed.calls().isEmpty()) {
                if (parsed.content().isEmpty()) message.putNull("content"); else message.put("content", parsed.content());
                message.set("tool_calls", ToolCalling.toJson(parsed.calls(), false));
                reason = "tool_calls";
            } else {
                message.put("content", result.text());
            }
            message.putNull("refusal");
        } else {
            choice.put("text", result.text());
        }
        putLogprobs(choice);
        choice.put("finish_reason", reason);
    }

    /** The content to stream for newly generated text (tool calls are held back). */
    String streamText(String text) {
        return toolStream == null ? text : toolStream.accept(text);
    }

    /** Attaches the logprobs of the tokens generated since the last chunk. */
    void putLogprobs(ObjectNode choice) {
        if (logprobs == null) return;
        var entries = logprobs.drain();
        if (req.isChat()) {
            choice.set("logprobs", logprobs.chat(entries));
        } else {
            ObjectNode legacy = logprobs.legacy(entries, legacyOffset);
            for (JsonNode t : legacy.get("tokens")) legacyOffset += t.asText().length();
            choice.set("logprobs", legacy);
        }
    }

    /**
     * At the end of a stream: the held-back text as a final content delta or as a tool_calls delta.
     * Returns the finish reason to report.
     */
    String finishStream(ObjectNode delta, String finishReason) {
        if (toolStream == null) return finishReason;
        ToolCalling.Parsed parsed = ToolCalling.parse(toolFormat, toolStream.text());
        if (parsed.calls().isEmpty()) {
            if (!toolStream.rest().isEmpty()) delta.put("content", toolStream.rest());
            return finishReason;
        }
        delta.set("tool_calls", ToolCalling.toJson(parsed.calls(), true));
        return "tool_calls";
    }
}
