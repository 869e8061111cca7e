package dev.strata.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.StrataException;
import dev.strata.generate.FinishReason;
import dev.strata.generate.GenerationRequest;
import dev.strata.generate.GenerationResult;
import dev.strata.generate.DecodeLoop;
import dev.strata.runtime.Engine;
import dev.strata.model.LayerPath;
import dev.strata.runtime.Sequence;
import dev.strata.tokenizer.ChatPrompt;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.UUID;

/** POST /v1/chat/completions and /v1/completions: validate, queue for a slot, generate, answer as JSON or SSE. */
final class CompletionHandler {
    static final String TOKENS_ATTRIBUTE = "strata.tokens";
    static final String CANCELLED_ATTRIBUTE = "strata.cancelled";

    private final Engine engine;
    private final String modelId;
    private final int contextSize;
    private final CompletionRequestParser parser;
    private final SlotScheduler scheduler;
    private final boolean parseSpecialInContent;
    private final ServerMetrics metrics;
    private final DecodeLoop decodeLoop;

    CompletionHandler(Engine engine, ModelNames names, int contextSize, ServerConfig config, SlotScheduler scheduler, ServerMetrics metrics,
                      DecodeLoop decodeLoop, boolean parseSpecialInContent) {
        this.decodeLoop = decodeLoop;
        this.parseSpecialInContent = parseSpecialInContent;
        this.engine = engine;
        this.modelId = names.id();
        this.contextSize = contextSize;
        this.parser = new CompletionRequestParser(names, contextSize, engine.tokenizer().vocab().size(), config.layers(),
                config.expertsPerToken(), config.plans());
        this.scheduler = scheduler;
        this.metrics = metrics;
    }

    void chat(Context ctx) throws IOException, InterruptedException {
        handle(ctx, parser.parse(JsonFields.parseObject(ctx.body()), true));
    }

    void completion(Context ctx) throws IOException, InterruptedException {
        handle(ctx, parser.parse(JsonFields.parseObject(ctx.body()), false));
    }

    /** The prompt tokens exactly as the server feeds them to the model (tests compare against this). */
    static int[] promptTokens(Engine engine, CompletionRequest req) {
        return promptTokens(engine, req, false);
    }

    static int[] promptTokens(Engine engine, CompletionRequest req, boolean parseSpecialInContent) {
        if (req.isChat()) {
            return ChatPrompt.tokens(engine.chatTemplate(), engine.tokenizer(), req.options().templateMessages(),
                    ResponseExtras.templateVariables(req.options()), true, parseSpecialInContent);
        }
        return engine.tokenizer().encode(req.prompt(), true, true);
    }

    private void handle(Context ctx, CompletionRequest req) throws IOException, InterruptedException {
        int[] prompt;
        try {
            prompt = promptTokens(engine, req, parseSpecialInContent);
        } catch (StrataException e) {
            throw ApiException.invalidRequest(e.getMessage(), req.promptParam());
        }
        if (prompt.length == 0) throw ApiException.invalidRequest("The prompt is empty", req.promptParam());
        if (prompt.length >= contextSize) {
            throw ApiException.invalidRequest("The prompt (" + prompt.length + " tokens) does not fit the context size of "
                    + contextSize + " tokens", req.promptParam());
        }
        if (req.maxTokens() != null && prompt.length + req.maxTokens() > contextSize) {
            throw ApiException.invalidRequest("The prompt (" + prompt.length + " tokens) plus max_tokens (" + req.maxTokens()
                    + ") exceeds the context size of " + contextSize + " tokens", "max_tokens");
        }
        checkSequenceOptions(req);
        int maxTokens = req.maxTokens() != null ? req.maxTokens() : contextSize - prompt.length;
        ResponseExtras extras = new ResponseExtras(engine, req);
        GenerationRequest generation = extras.generation(prompt, maxTokens);
        try (SlotScheduler.Lease lease = scheduler.admit()) {
            lease.awaitSlot();
            Sequence seq = engine.newSequence(req.layers(), req.expertsPerToken(), contextSize);
            try {
                if (req.stream()) {
                    stream(ctx, req, seq, generation, extras);
                } else {
                    respond(ctx, req, seq, generation, extras);
                }
            } finally {
                seq.release(); // its KV pages go to the next request
            }
        }
    }

    /** Bad layer paths and expert counts are 400s before the request takes a queue place. */
    private void checkSequenceOptions(CompletionRequest req) {
        if (req.layers() != null && !req.layers().isBlank()) {
            try {
                LayerPath.parse(req.layers(), engine.model().config().blockCount(), engine.maxPlanSteps());
            } catch (StrataException | IllegalArgumentException e) {
                throw ApiException.invalidRequest(e.getMessage(), "layers");
            }
        }
        try {
            engine.newSequence(null, req.expertsPerToken(), 1);
        } catch (StrataException e) {
            throw ApiException.invalidRequest(e.getMessage(), "experts_per_token");
        }
    }

    private void respond(Context ctx, CompletionRequest req, Sequence seq, GenerationRequest generation, ResponseExtras extras) {
        GenerationResult result = decodeLoop.generate(seq, generation, text -> {}, ClientProbe.of(ctx));
        record(ctx, result);
        if (result.finishReason() == FinishReason.CANCELLED) return;
        String id = newId(req);
        ObjectNode body = envelope(id, req.isChat() ? "chat.completion" : "text_completion");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        choice.putNull("logprobs");
        extras.respond(choice, result, finishReason(result.finishReason()));
        body.set("usage", usage(result));
        ctx.contentType("application/json").result(body.toString());
    }

    private void stream(Context ctx, CompletionRequest req, Sequence seq, GenerationRequest generation, ResponseExtras extras)
            throws IOException {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        SseStream sse = new SseStream(ctx.res().getOutputStream());
        String id = newId(req);
        String object = req.isChat() ? "chat.completion.chunk" : "text_completion";
        if (req.isChat()) {
            ObjectNode first = chunk(id, object, req);
            ((ObjectNode) first.withArray("choices").get(0)).putObject("delta").put("role", "assistant").put("content", "");
            sse.send(first);
        }
        GenerationResult result;
        try {
            result = decodeLoop.generate(seq, generation, generated -> {
                String text = extras.streamText(generated);
                if (text.isEmpty()) return;
                ObjectNode piece = chunk(id, object, req);
                ObjectNode choice = (ObjectNode) piece.withArray("choices").get(0);
                if (req.isChat()) choice.putObject("delta").put("content", text);
                else choice.put("text", text);
                extras.putLogprobs(choice);
                sse.send(piece);
            }, sse::clientGone, 0);
        } catch (StrataException e) {
            ObjectNode error = JsonFields.MAPPER.createObjectNode();
            error.putObject("error").put("message", e.getMessage()).put("type", "server_error").putNull("param").putNull("code");
            sse.send(error);
            return;
        }
        record(ctx, result);
        if (result.finishReason() == FinishReason.CANCELLED) return;
        ObjectNode last = chunk(id, object, req);
        ObjectNode choice = (ObjectNode) last.withArray("choices").get(0);
        String reason = finishReason(result.finishReason());
        if (req.isChat()) reason = extras.finishStream(choice.putObject("delta"), reason);
        else choice.put("text", "");
        extras.putLogprobs(choice);
        choice.put("finish_reason", reason);
        sse.send(last);
        if (req.includeUsage()) {
            ObjectNode usage = envelope(id, object);
            usage.putArray("choices");
            usage.set("usage", usage(result));
            sse.send(usage);
        }
        sse.done();
    }

    private ObjectNode chunk(String id, String object, CompletionRequest req) {
        ObjectNode node = envelope(id, object);
        ObjectNode choice = node.putArray("choices").addObject().put("index", 0);
        choice.putNull("logprobs").putNull("finish_reason");
        if (req.includeUsage()) node.putNull("usage");
        return node;
    }

    private ObjectNode envelope(String id, String object) {
        ObjectNode node = JsonFields.MAPPER.createObjectNode();
        node.put("id", id).put("object", object).put("created", System.currentTimeMillis() / 1000).put("model", modelId)
                .put("system_fingerprint", "strata");
        return node;
    }

    private static ObjectNode usage(GenerationResult result) {
        ObjectNode usage = JsonFields.MAPPER.createObjectNode();
        usage.put("prompt_tokens", result.promptTokens()).put("completion_tokens", result.tokens().length)
                .put("total_tokens", result.promptTokens() + result.tokens().length);
        return usage;
    }

    private void record(Context ctx, GenerationResult result) {
        ctx.attribute(TOKENS_ATTRIBUTE, result.tokens().length);
        if (result.finishReason() == FinishReason.CANCELLED) ctx.attribute(CANCELLED_ATTRIBUTE, true);
        metrics.recordGeneration(result.promptTokens(), result.tokens().length, result.promptNanos(), result.generationNanos(),
                result.finishReason() == FinishReason.CANCELLED);
    }

    private static String finishReason(FinishReason reason) {
        return reason == FinishReason.LENGTH ? "length" : "stop";
    }

    private static String newId(CompletionRequest req) {
        return (req.isChat() ? "chatcmpl-" : "cmpl-") + UUID.randomUUID().toString().replace("-", "");
    }
}
