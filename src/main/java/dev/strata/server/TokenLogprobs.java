package dev.strata.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.generate.GenerationRequest;
import dev.strata.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Log-probabilities of the generated tokens under the model's own distribution: log-softmax of the raw
 * logits over the whole vocabulary (before sampling settings, biases or grammar masks), with the top
 * alternatives sorted by descending logprob. Entries queue up until the response drains them.
 */
final class TokenLogprobs implements GenerationRequest.TokenListener {
    record Entry(int token, double logprob, int[] topIds, double[] topLogprobs) {}

    private final Tokenizer tokenizer;
    private final int top;
    private final boolean keepEndOfGeneration;
    private final List<Entry> pending = new ArrayList<>();

    TokenLogprobs(Tokenizer tokenizer, int top, boolean keepEndOfGeneration) {
        this.tokenizer = tokenizer;
        this.top = top;
        this.keepEndOfGeneration = keepEndOfGeneration;
    }

    @Override
    public synchronized void onToken(int token, float[] logits, int vocabSize) {
        if (!keepEndOfGeneration && tokenizer.vocab().isEndOfGeneration(token)) return;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocabSize; i++) max = Math.max(max, logits[i]);
        double sum = 0;
        for (int i = 0; i < vocabSize; i++) sum += Math.exp(logits[i] - max);
        double logZ = max + Math.log(sum);
        int[] ids = new int[top];
        double[] values = new double[top];
        int filled = 0;
        for (int i = 0; i < vocabSize && top > 0; i++) {
            double v = logits[i];
            if (filled == top && v <= values[top - 1]) continue;
            int at = Math.min(filled, top - 1);
            while (at > 0 && values[at - 1] < v) {
                values[at] = values[at - 1];
                ids[at] = ids[at - 1];
                at--;
            }
            values[at] = v;
            ids[at] = i;
            if (filled < top) filled++;
        }
        for (int k = 0; k < filled; k++) values[k] -= logZ;
        pending.add(new Entry(token, logits[token] - logZ, java.util.Arrays.copyOf(ids, filled), java.util.Arrays.copyOf(values, filled)));
    }

    /** The entries since the last drain. */
    synchronized List<Entry> drain() {
        List<Entry> out = List.copyOf(pending);
        pending.clear();
        return out;
    }

    /** Chat form: {"content": [{token, logprob, bytes, top_logprobs: [...]}], "refusal": null}. */
    ObjectNode chat(List<Entry> entries) {
        ObjectNode node = JsonFields.MAPPER.createObjectNode();
        ArrayNode content = node.putArray("content");
        for (Entry e : entries) {
            ObjectNode item = tokenNode(e.token, e.logprob);
            ArrayNode alternatives = item.putArray("top_logprobs");
            for (int k = 0; k < e.topIds.length; k++) alternatives.add(tokenNode(e.topIds[k], e.topLogprobs[k]));
            content.add(item);
        }
        node.putNull("refusal");
        return node;
    }

    /** The legacy completions form: tokens, token_logprobs, top_logprobs (text to logprob), text_offset. */
    ObjectNode legacy(List<Entry> entries, int startOffset) {
        ObjectNode node = JsonFields.MAPPER.createObjectNode();
        ArrayNode tokens = node.putArray("tokens");
        ArrayNode logprobs = node.putArray("token_logprobs");
        ArrayNode tops = node.putArray("top_logprobs");
        ArrayNode offsets = node.putArray("text_offset");
        int offset = startOffset;
        for (Entry e : entries) {
            String text = text(e.token);
            tokens.add(text);
            logprobs.add(e.logprob);
            ObjectNode alternatives = tops.addObject();
            for (int k = 0; k < e.topIds.length; k++) alternatives.put(text(e.topIds[k]), e.topLogprobs[k]);
            offsets.add(offset);
            offset += text.length();
        }
        return node;
    }

    private ObjectNode tokenNode(int token, double logprob) {
        ObjectNode n = JsonFields.MAPPER.createObjectNode().put("token", text(token)).put("logprob", logprob);
        ArrayNode bytes = n.putArray("bytes");
        for (byte b : tokenizer.tokenBytes(token)) bytes.add(b & 0xFF);
        return n;
    }

    private String text(int token) {
        return new String(tokenizer.tokenBytes(token), StandardCharsets.UTF_8);
    }
}
