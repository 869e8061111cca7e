package dev.strata.tokenizer;

import dev.strata.StrataException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Bounds on a chat template, which comes from the model file and may be hostile: its size, how deeply its
 * expressions nest brackets (Jinjava's parser is superlinear in it; 5,000 nested parentheses never finished),
 * the size of what it renders, and the time one rendering may take.
 */
final class ChatTemplateLimits {
    static final int MAX_SOURCE_BYTES = 256 << 10;
    static final int MAX_NESTING = 64;
    static final long MAX_OUTPUT_CHARS = 16L << 20;
    static final Duration RENDER_TIMEOUT = Duration.ofSeconds(5);

    private static final ExecutorService RENDERERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "strata-chat-template");
        t.setDaemon(true);
        return t;
    });

    private ChatTemplateLimits() {}

    /** Why the source is refused (too large, or brackets nested too deeply inside {{ }} and {% %}), or null. */
    static String problem(String source) {
        int bytes = source.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_SOURCE_BYTES) return "the chat template is " + bytes + " bytes, more than the limit of " + MAX_SOURCE_BYTES;
        int depth = 0;
        int deepest = 0;
        boolean inTag = false;
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            char next = i + 1 < source.length() ? source.charAt(i + 1) : 0;
            if (!inTag) {
                if (c == '{' && (next == '{' || next == '%')) {
                    inTag = true;
                    depth = 0;
                    i++;
                }
                continue;
            }
            if ((c == '}' || c == '%') && next == '}' && depth == 0) {
                inTag = false;
                i++;
            } else if (c == '(' || c == '[') {
                deepest = Math.max(deepest, ++depth);
            } else if ((c == ')' || c == ']') && depth > 0) {
                depth--;
            }
        }
        return deepest > MAX_NESTING ? "the chat template nests brackets " + deepest + " deep, more than the limit of " + MAX_NESTING : null;
    }

    /** Runs one rendering on a worker thread and gives up with a clear error after {@link #RENDER_TIMEOUT}. */
    static String withinTimeLimit(Supplier<String> render) {
        Future<String> f = RENDERERS.submit(render::get);
        try {
            return f.get(RENDER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new StrataException("the chat template took longer than " + RENDER_TIMEOUT.toSeconds() + " s to render; it is too complex");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new StrataException("chat template failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new StrataException("chat template rendering was interrupted", e);
        }
    }
}
