package dev.strata.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;

/**
 * Every request field is either implemented, or refused with a 400 that names it: a field that would be
 * silently ignored makes agent frameworks misbehave with no error. Fields that only carry client
 * bookkeeping (user, prompt_cache_key, safety_identifier) are accepted; fields whose only meaningful
 * values are the ones Strata behaves as (store false, modalities ["text"], echo false, best_of 1) are
 * accepted with those values.
 */
final class RequestFields {
    private static final Set<String> COMMON = Set.of("model", "max_tokens", "frequency_penalty", "presence_penalty", "logit_bias",
            "logprobs", "n", "seed", "stop", "stream", "stream_options", "temperature", "top_p", "user",
            // llama.cpp and Strata extensions
            "top_k", "min_p", "repeat_penalty", "repeat_last_n", "layers", "experts_per_token", "plan", "ignore_eos", "grammar", "json_schema");
    private static final Set<String> CHAT = Set.of("messages", "max_completion_tokens", "top_logprobs", "response_format", "tools",
            "tool_choice", "parallel_tool_calls", "store", "metadata", "modalities", "service_tier", "safety_identifier",
            "prompt_cache_key", "reasoning_effort", "web_search_options", "audio", "prediction", "verbosity", "functions", "function_call");
    private static final Set<String> COMPLETION = Set.of("prompt", "best_of", "echo", "suffix");
    /** Known OpenAI fields for features Strata does not have: any non-null value is refused. */
    private static final Set<String> UNSUPPORTED = Set.of("reasoning_effort", "web_search_options", "audio", "prediction", "verbosity",
            "functions", "function_call");

    private RequestFields() {}

    static void check(JsonNode body, boolean chat) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!COMMON.contains(name) && !(chat ? CHAT : COMPLETION).contains(name)) {
                throw ApiException.invalidRequest("Unrecognized request argument supplied: " + name, name);
            }
            if (UNSUPPORTED.contains(name) && JsonFields.given(body, name)) {
                String hint = name.startsWith("function") ? " (use 'tools' and 'tool_choice')" : "";
                throw ApiException.invalidRequest("'" + name + "' is not supported by this server" + hint, name);
            }
        }
        if (Boolean.TRUE.equals(JsonFields.bool(body, "store"))) {
            throw ApiException.invalidRequest("'store': stored completions are not supported; send store=false or omit it", "store");
        }
        if (JsonFields.given(body, "metadata") && !(body.get("metadata").isObject() && body.get("metadata").isEmpty())) {
            throw ApiException.invalidRequest("'metadata' is only kept with stored completions, which this server does not support", "metadata");
        }
        if (JsonFields.given(body, "modalities")) {
            JsonNode m = body.get("modalities");
            if (!m.isArray() || m.size() != 1 || !"text".equals(m.get(0).asText())) {
                throw ApiException.invalidRequest("'modalities' must be [\"text\"]: this server generates text only", "modalities");
            }
        }
        String tier = JsonFields.string(body, "service_tier");
        if (tier != null && !tier.equals("auto") && !tier.equals("default")) {
            throw ApiException.invalidRequest("'service_tier' must be 'auto' or 'default', got '" + tier + "'", "service_tier");
        }
        for (String name : new String[] {"user", "safety_identifier", "prompt_cache_key"}) JsonFields.string(body, name);
        Long bestOf = JsonFields.integer(body, "best_of");
        if (bestOf != null && bestOf != 1) throw ApiException.invalidRequest("Only best_of=1 is supported, got " + bestOf, "best_of");
        if (Boolean.TRUE.equals(JsonFields.bool(body, "echo"))) throw ApiException.invalidRequest("'echo' is not supported", "echo");
        String suffix = JsonFields.string(body, "suffix");
        if (suffix != null && !suffix.isEmpty()) throw ApiException.invalidRequest("'suffix' (insertion) is not supported", "suffix");
    }
}
