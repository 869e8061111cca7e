package dev.strata.server;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters for GET /metrics, rendered in the Prometheus text format. */
final class ServerMetrics {
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final LongAdder promptTokens = new LongAdder();
    private final LongAdder completionTokens = new LongAdder();
    private final LongAdder generationNanos = new LongAdder();
    private final LongAdder promptNanos = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder cancelled = new LongAdder();

    /** route is a route template or a fixed label (never a raw path), so the series stay few. */
    void recordRequest(String route, int status) {
        requests.computeIfAbsent(route + "\u0000" + status, k -> new LongAdder()).increment();
        if (status == 503) rejected.increment();
    }

    void recordGeneration(int prompt, int completion, long promptTime, long generationTime, boolean wasCancelled) {
        promptTokens.add(prompt);
        completionTokens.add(completion);
        promptNanos.add(promptTime);
        generationNanos.add(generationTime);
        if (wasCancelled) cancelled.increment();
    }

    String render(SlotScheduler scheduler, int parallel) {
        StringBuilder out = new StringBuilder();
        out.append("# HELP strata_requests_total HTTP requests by route and status.\n# TYPE strata_requests_total counter\n");
        new TreeMap<>(requests).forEach((key, count) -> {
            String[] parts = key.split("\u0000");
            out.append("strata_requests_total{path=\"").append(escapeLabel(parts[0])).append("\",status=\"").append(parts[1])
                    .append("\"} ").append(count.sum()).append('\n');
        });
        counter(out, "strata_requests_rejected_total", "Requests refused with 503 because the queue was full.", rejected.sum());
        counter(out, "strata_requests_cancelled_total", "Generations cancelled by a client disconnect.", cancelled.sum());
        counter(out, "strata_prompt_tokens_total", "Prompt tokens processed.", promptTokens.sum());
        counter(out, "strata_completion_tokens_total", "Tokens generated.", completionTokens.sum());
        gauge(out, "strata_prompt_tokens_per_second", "Prompt tokens per second of prompt processing, over all requests.",
                perSecond(promptTokens.sum(), promptNanos.sum()));
        gauge(out, "strata_completion_tokens_per_second", "Generated tokens per second of decoding, over all requests.",
                perSecond(completionTokens.sum(), generationNanos.sum()));
        gauge(out, "strata_queue_depth", "Requests waiting for a decode slot.", scheduler.queued());
        gauge(out, "strata_active_slots", "Decode slots generating now.", scheduler.active());
        gauge(out, "strata_slots", "Decode slots (--parallel).", parallel);
        return out.toString();
    }

    /** The continuous-batching loop: steps, and requests carried per step (the mean batch size). */
    static String renderDecode(long steps, long sequences) {
        StringBuilder out = new StringBuilder();
        counter(out, "strata_decode_steps_total", "Forward passes of the continuous-batching decode loop.", steps);
        counter(out, "strata_decode_step_sequences_total", "Requests carried by those passes, summed.", sequences);
        return out.toString();
    }

    /** The Prometheus text format's label-value escapes: backslash, double quote and line feed. */
    static String escapeLabel(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static double perSecond(long tokens, long nanos) {
        return nanos == 0 ? 0 : tokens * 1e9 / nanos;
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" counter\n")
                .append(name).append(' ').append(value).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, double value) {
        out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" gauge\n")
                .append(name).append(' ').append(String.format(Locale.ROOT, "%.3f", value)).append('\n');
    }
}
