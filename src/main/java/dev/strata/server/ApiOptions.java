package dev.strata.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The request fields beyond plain sampling: output constraints, logprobs, logit_bias and penalties, tools,
 * and the messages as the chat template sees them (with tool_calls, tool_call_id, name).
 *
 * @param logprobs -1 when off, else how many top alternatives to report per token
 * @param templateMessages null for /v1/completions
 */
record ApiOptions(StructuredOutput.Constraint constraint, int logprobs, Map<Integer, Float> logitBias, float presencePenalty,
                  float frequencyPenalty, Tools tools, List<Map<String, Object>> templateMessages) {
    static final int MAX_TOP_LOGPROBS = 20;
    static final int MAX_LEGACY_LOGPROBS = 5;
    private static final Set<String> MESSAGE_KEYS = Set.of("role", "content", "name", "tool_calls", "tool_call_id", "refusal",
            "reasoning_content");

    /** tools as sent (each {"type": "function", "function": {...}}); choice none, auto, required or function. */
    record Tools(List<JsonNode> tools, String choice, String function, boolean parallel) {
        boolean active() {
            return !tools.isEmpty() && !choice.equals("none");
        }

        boolean forced() {
            return active() && (choice.equals("required") || choice.equals("function"));
        }
    }

    static ApiOptions parse(JsonNode body, boolean chat, int vocabSize) {
        StructuredOutput.Constraint constraint = StructuredOutput.parse(body);
        Tools tools = chat ? tools(body) : new Tools(List.of(), "none", null, true);
        if (constraint != null && tools.forced()) {
            throw ApiException.invalidRequest("'tool_choice' " + tools.choice() + " already constrains the output; drop '"
                    + constraint.param() + "'", constraint.param());
        }
        Map<Integer, Float> bias = logitBias(body, vocabSize);
        float presence = penalty(body, "presence_penalty");
        float frequency = penalty(body, "frequency_penalty");
        return new ApiOptions(constraint, logprobs(body, chat), bias, presence, frequency, tools, chat ? templateMessages(body) : null);
    }

    private static int logprobs(JsonNode body, boolean chat) {
        if (!chat) {
            Long n = JsonFields.integer(body, "logprobs");
            if (n == null) return -1;
            if (n < 0 || n > MAX_LEGACY_LOGPROBS) throw ApiException.invalidRequest("'logprobs' must be 0.." + MAX_LEGACY_LOGPROBS, "logprobs");
            return n.intValue();
        }
        boolean on = Boolean.TRUE.equals(JsonFields.bool(body, "logprobs"));
        Long top = JsonFields.integer(body, "top_logprobs");
        if (top == null) return on ? 0 : -1;
        if (top < 0 || top > MAX_TOP_LOGPROBS) throw ApiException.invalidRequest("'top_logprobs' must be 0.." + MAX_TOP_LOGPROBS, "top_logprobs");
        if (!on) throw ApiException.invalidRequest("'top_logprobs' requires 'logprobs' to be true", "top_logprobs");
        return top.intValue();
    }

    private static Map<Integer, Float> logitBias(JsonNode body, int vocabSize) {
        if (!JsonFields.given(body, "logit_bias")) return Map.of();
        JsonNode node = body.get("logit_bias");
        if (!node.isObject()) throw ApiException.invalidRequest("'logit_bias' must be an object of token id to bias", "logit_bias");
        Map<Integer, Float> bias = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int id;
            try {
                id = Integer.parseInt(e.getKey());
            } catch (NumberFormatException ex) {
                id = -1;
            }
            if (id < 0 || id >= vocabSize) {
                throw ApiException.invalidRequest("'logit_bias' key '" + e.getKey() + "' is not a token id in 0.." + (vocabSize - 1), "logit_bias");
            }
            if (!e.getValue().isNumber() || Math.abs(e.getValue().asDouble()) > 100) {
                throw ApiException.invalidRequest("'logit_bias' values must be numbers in -100..100", "logit_bias");
            }
            bias.put(id, (float) e.getValue().asDouble());
        }
        return bias;
    }

    private static float penalty(JsonNode body, String name) {
        Double value = JsonFields.number(body, name);
        if (value == null) return 0;
        if (value < -2 || value > 2) throw ApiException.invalidRequest("'" + name + "' must be -2..2, got " + value, name);
        return value.floatValue();
    }

    private static Tools tools(JsonNode body) {
        List<JsonNode> tools = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        if (JsonFields.given(body, "tools")) {
            JsonNode array = body.get("tools");
            if (!array.isArray()) throw ApiException.invalidRequest("'tools' must be an array", "tools");
            for (int i = 0; i < array.size(); i++) {
                JsonNode t = array.get(i);
                String param = "tools[" + i + "]";
                if (!t.isObject() || !"function".equals(t.path("type").asText()) || !t.path("function").isObject()) {
                    throw ApiException.invalidRequest(param + " must be {\"type\": \"function\", \"function\": {...}}", param);
                }
                JsonNode f = t.get("function");
                if (!f.path("name").isTextual() || !f.get("name").asText().matches("[a-zA-Z0-9_-]{1,64}")) {
                    throw ApiException.invalidRequest(param + ".function.name must be 1-64 of a-z, A-Z, 0-9, _ and -", param + ".function.name");
                }
                if (!names.add(f.get("name").asText())) throw ApiException.invalidRequest("duplicate tool name " + f.get("name"), param);
                JsonNode parameters = f.path("parameters");
                if (!parameters.isMissingNode() && !parameters.isNull()) StructuredOutput.fromSchema(parameters, param + ".function.parameters");
                tools.add(t);
            }
        }
        Boolean parallel = JsonFields.bool(body, "parallel_tool_calls");
        String choice = tools.isEmpty() ? "none" : "auto";
        String function = null;
        if (JsonFields.given(body, "tool_choice")) {
            JsonNode c = body.get("tool_choice");
            if (c.isTextual() && Set.of("none", "auto", "required").contains(c.asText())) {
                choice = c.asText();
            } else if (c.isObject() && "function".equals(c.path("type").asText()) && c.path("function").path("name").isTextual()) {
                choice = "function";
                function = c.get("function").get("name").asText();
                if (!names.contains(function)) throw ApiException.invalidRequest("'tool_choice' names the unknown tool '" + function + "'", "tool_choice");
            } else {
                throw ApiException.invalidRequest("'tool_choice' must be none, auto, required or {\"type\": \"function\", \"function\": {\"name\": ...}}", "tool_choice");
            }
            if (tools.isEmpty() && !choice.equals("none")) throw ApiException.invalidRequest("'tool_choice' needs 'tools'", "tool_choice");
        }
        return new Tools(tools, choice, function, parallel == null || parallel);
    }

    /** Messages as plain maps for the template, keeping tool_calls (arguments parsed to objects), tool_call_id and name. */
    private static List<Map<String, Object>> templateMessages(JsonNode body) {
        List<Map<String, Object>> out = new ArrayList<>();
        JsonNode array = body.get("messages");
        for (int i = 0; i < array.size(); i++) {
            JsonNode m = array.get(i);
            Map<String, Object> map = new LinkedHashMap<>();
            for (Iterator<String> it = m.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!MESSAGE_KEYS.contains(key) && !m.get(key).isNull()) {
                    throw ApiException.invalidRequest("Unrecognized message field 'messages[" + i + "]." + key + "'", "messages[" + i + "]." + key);
                }
            }
            map.put("role", m.get("role").asText());
            map.put("content", CompletionRequestParser.content(m.get("content"), "messages[" + i + "].content"));
            for (String key : List.of("name", "tool_call_id", "reasoning_content")) {
                if (m.path(key).isTextual()) map.put(key, m.get(key).asText());
            }
            if (JsonFields.given(m, "tool_calls")) map.put("tool_calls", toolCalls(m.get("tool_calls"), "messages[" + i + "].tool_calls"));
            out.add(map);
        }
        return out;
    }

    private static List<Object> toolCalls(JsonNode calls, String param) {
        if (!calls.isArray()) throw ApiException.invalidRequest(param + " must be an array", param);
        List<Object> out = new ArrayList<>();
        for (JsonNode c : calls) {
            JsonNode f = c.path("function");
            if (!f.path("name").isTextual()) throw ApiException.invalidRequest(param + "[].function.name is required", param);
            Map<String, Object> function = new LinkedHashMap<>();
            function.put("name", f.get("name").asText());
            Object arguments = f.path("arguments").asText("{}");
            try {
                JsonNode parsed = JsonFields.MAPPER.readTree((String) arguments);
                if (parsed != null && parsed.isObject()) arguments = JsonFields.MAPPER.convertValue(parsed, Map.class);
            } catch (Exception e) {
                // not JSON: the template gets the string as sent
            }
            function.put("arguments", arguments);
            Map<String, Object> call = new LinkedHashMap<>();
            call.put("id", c.path("id").asText(""));
            call.put("type", "function");
            call.put("function", function);
            out.add(call);
        }
        return out;
    }
}
