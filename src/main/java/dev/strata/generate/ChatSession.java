package dev.strata.generate;

import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.runtime.Sequence;
import dev.strata.sample.SamplerConfig;
import dev.strata.tokenizer.ChatMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A conversation over one sequence: each turn renders the whole history with the chat template and
 * feeds only the tokens past the longest prefix already in the KV cache. A cancelled reply is kept
 * as far as it got, so the history stays what the user saw.
 */
public final class ChatSession {
    private final Engine engine;
    private final Sequence seq;
    private final String system;
    private final List<ChatMessage> history = new ArrayList<>();
    private int[] cached = new int[0];

    public ChatSession(Engine engine, Sequence seq, String system) {
        this.engine = engine;
        this.seq = seq;
        this.system = system;
        clear();
    }

    /** Forgets the conversation (the system message stays). */
    public void clear() {
        history.clear();
        if (system != null) history.add(ChatMessage.system(system));
        cached = new int[0];
        seq.truncate(0);
    }

    public List<ChatMessage> history() {
        return List.copyOf(history);
    }

    public GenerationResult reply(String userText, SamplerConfig sampling, int maxTokens, List<String> stop,
                                  Consumer<String> onText, BooleanSupplier cancelled) {
        history.add(ChatMessage.user(userText));
        int[] ids = engine.tokenizer().encode(engine.chatTemplate().render(history, true), false, true);
        int keep = commonPrefix(cached, ids, seq.position());
        seq.truncate(keep);
        GenerationResult r = Generator.generate(engine, seq,
                new GenerationRequest(Arrays.copyOfRange(ids, keep, ids.length), sampling, maxTokens, stop, false),
                onText, cancelled, new ForwardStats());
        history.add(ChatMessage.assistant(r.text()));
        int[] all = Arrays.copyOf(ids, ids.length + r.tokens().length);
        System.arraycopy(r.tokens(), 0, all, ids.length, r.tokens().length);
        cached = all;
        return r;
    }

    /** Positions of the KV cache that the new prompt can reuse (at least one token is always re-fed). */
    static int commonPrefix(int[] cached, int[] ids, int position) {
        int n = Math.min(Math.min(cached.length, position), ids.length - 1);
        int i = 0;
        while (i < n && cached[i] == ids[i]) i++;
        return i;
    }
}
