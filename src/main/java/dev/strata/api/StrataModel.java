package dev.strata.api;

import dev.strata.StrataException;
import dev.strata.generate.GenerationRequest;
import dev.strata.generate.GenerationResult;
import dev.strata.generate.Generator;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;
import dev.strata.tokenizer.ChatMessage;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A loaded model. Thread-safe: every call runs its own sequence over the shared weights, so calls
 * from several threads proceed in parallel. Close it to release the mapping and the worker pool.
 */
public final class StrataModel implements AutoCloseable {
    private final Engine engine;
    private final int contextSize;

    StrataModel(Engine engine, int contextSize) {
        this.engine = engine;
        this.contextSize = contextSize;
    }

    /** Continues {@code prompt} (BOS added as the model asks). */
    public Completion generate(String prompt, GenerateOptions options) {
        return stream(prompt, options, text -> {}, () -> false);
    }

    public String generate(String prompt) {
        return generate(prompt, GenerateOptions.defaults()).text();
    }

    /** As {@link #generate}, handing each piece of text to {@code onText} as soon as it is decoded. */
    public Completion stream(String prompt, GenerateOptions options, Consumer<String> onText, BooleanSupplier cancelled) {
        return run(engine.tokenizer().encode(prompt, true, true), options, onText, cancelled);
    }

    /** Renders the conversation with the model's chat template (ChatML when it has none) and answers it. */
    public Completion chat(List<ChatMessage> messages, GenerateOptions options) {
        return streamChat(messages, options, text -> {}, () -> false);
    }

    public Completion streamChat(List<ChatMessage> messages, GenerateOptions options, Consumer<String> onText, BooleanSupplier cancelled) {
        if (messages.isEmpty()) throw new StrataException("a chat needs at least one message");
        String rendered = engine.chatTemplate().render(messages, true);
        return run(engine.tokenizer().encode(rendered, false, true), options, onText, cancelled);
    }

    public int[] tokenize(String text, boolean addSpecial) {
        return engine.tokenizer().encode(text, addSpecial, true);
    }

    public String detokenize(int[] tokens) {
        return engine.tokenizer().decode(tokens);
    }

    /** The engine underneath, for what this facade does not cover (layer paths per sequence, raw logits). */
    public Engine engine() {
        return engine;
    }

    private Completion run(int[] prompt, GenerateOptions o, Consumer<String> onText, BooleanSupplier cancelled) {
        Sequence seq = engine.newSequence(o.layers(), o.expertsPerToken(), contextSize);
        GenerationRequest request = new GenerationRequest(prompt, o.sampling(), o.maxTokens(), o.stop(), false);
        GenerationResult r;
        try {
            r = Generator.generate(engine, seq, request, onText, cancelled, new ForwardStats());
        } finally {
            seq.release();
        }
        return new Completion(r.text(), r.finishReason(), r.promptTokens(), r.tokens().length,
                r.promptTokensPerSecond(), r.generationTokensPerSecond());
    }

    @Override
    public void close() {
        engine.close();
    }
}
