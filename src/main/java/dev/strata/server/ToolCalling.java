package dev.strata.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.sample.grammar.JsonSchemaGrammar;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tool calls in the model's own format, chosen from its chat template: Hermes/Qwen
 * {@code <tool_call>{"name":..., "arguments":...}</tool_call>}, Llama 3 {@code {"name":..., "parameters":...}}
 * and Mistral {@code [TOOL_CALLS][{"name":..., "arguments":...}]}. Builds the grammar that forces a valid call
 * (tool_choice required or a named function) and parses generated text back into OpenAI tool_calls.
 */
final class ToolCalling {
    /** At most this many calls in one constrained turn, so a grammar-forced turn always ends. */
    static final int MAX_PARALLEL_CALLS = 8;
    private static final Pattern HERMES = Pattern.compile("<tool_call>\\s*(.*?)\\s*(?:</tool_call>|$)", Pattern.DOTALL);

    enum Format {
        HERMES("<tool_call>\n", "\n</tool_call>", "arguments"),
        LLAMA3("", "", "parameters"),
        MISTRAL("[TOOL_CALLS][", "]", "arguments");

        final String prefix, suffix, argumentsKey;

        Format(String prefix, String suffix, String argumentsKey) {
            this.prefix = prefix;
            this.suffix = suffix;
            this.argumentsKey = argumentsKey;
        }

        /** The format a template's source produces, or null when it does not render tools. */
        static Format of(String templateSource) {
            if (templateSource.contains("<tool_call>")) return HERMES;
            if (templateSource.contains("[TOOL_CALLS]")) return MISTRAL;
            if (templateSource.contains("<|python_tag|>") || templateSource.contains("ipython")) return LLAMA3;
            return null;
        }
    }

    record Call(String id, String name, String arguments) {}

    record Parsed(String content, List<Call> calls) {}

    private ToolCalling() {}

    /** GBNF for one to MAX_PARALLEL_CALLS calls (one when parallel is false) of the given tools, arguments per their schemas. */
    static String grammar(Format format, List<JsonNode> functions, boolean parallel) {
        ArrayNode options = JsonFields.MAPPER.createArrayNode();
        for (JsonNode f : functions) {
            ObjectNode call = options.addObject().put("type", "object");
            ObjectNode props = call.putObject("properties");
            props.putObject("name").put("const", f.path("name").asText());
            JsonNode parameters = f.path("parameters");
            props.set(format.argumentsKey, parameters.isMissingNode() || parameters.isNull()
                    ? JsonFields.MAPPER.createObjectNode().put("type", "object") : parameters);
            call.putArray("required").add("name").add(format.argumentsKey);
            call.put("additionalProperties", false);
        }
        ObjectNode schema = JsonFields.MAPPER.createObjectNode();
        if (options.size() == 1) schema = (ObjectNode) options.get(0);
        else schema.set("anyOf", options);
        String separator = format == Format.MISTRAL ? "," : "\n";
        int extra = parallel ? MAX_PARALLEL_CALLS - 1 : 0;
        String one = format == Format.MISTRAL ? "call" : JsonSchemaGrammar.textLiteral(format.prefix) + " call " + JsonSchemaGrammar.textLiteral(format.suffix);
        String body = one + (extra > 0 ? " (" + JsonSchemaGrammar.textLiteral(separator) + " " + one + "){0," + extra + "}" : "");
        if (format == Format.MISTRAL) body = JsonSchemaGrammar.textLiteral(format.prefix) + " " + body + " " + JsonSchemaGrammar.textLiteral(format.suffix);
        return JsonSchemaGrammar.toGbnf(schema, "call", body);
    }

    /** Splits generated text into plain content and tool calls; text that is not a well-formed call stays content. */
    static Parsed parse(Format format, String text) {
        List<Call> calls = new ArrayList<>();
        String content = text;
        switch (format) {
            case HERMES -> {
                Matcher m = HERMES.matcher(text);
                StringBuilder rest = new StringBuilder();
                int last = 0;
                while (m.find()) {
                    Call call = call(m.group(1), format);
                    if (call == null) continue;
                    calls.add(call);
                    rest.append(text, last, m.start());
                    last = m.end();
                }
                rest.append(text.substring(last));
                content = rest.toString();
            }
            case LLAMA3 -> {
                String body = text.replace("<|python_tag|>", "").trim();
                if (body.startsWith("{")) {
                    for (String part : body.split(";\\s*(?=\\{)")) {
                        Call call = call(part, format);
                        if (call == null) {
                            calls.clear();
                            break;
                        }
                        calls.add(call);
                    }
                    if (!calls.isEmpty()) content = "";
                }
            }
            case MISTRAL -> {
                String body = text.replace("[TOOL_CALLS]", "").trim();
                if (body.startsWith("[")) {
                    try {
                        JsonNode array = JsonFields.MAPPER.readTree(body);
                        for (JsonNode c : array) {
                            Call call = call(c.toString(), format);
                            if (call != null) calls.add(call);
                        }
                        if (!calls.isEmpty()) content = "";
                    } catch (Exception e) {
                        calls.clear();
                    }
                }
            }
        }
        return new Parsed(calls.isEmpty() ? text : content.strip(), calls);
    }

    private static Call call(String json, Format format) {
        JsonNode node;
        try {
            node = JsonFields.MAPPER.readTree(json);
        } catch (Exception e) {
            return null;
        }
        if (node == null || !node.isObject() || !node.path("name").isTextual()) return null;
        JsonNode args = node.has(format.argumentsKey) ? node.get(format.argumentsKey) : node.get("arguments");
        if (args == null) args = JsonFields.MAPPER.createObjectNode();
        String arguments = args.isTextual() ? args.asText() : args.toString();
        return new Call(newId(format), node.get("name").asText(), arguments);
    }

    /** OpenAI-style ids; Mistral's template insists on 9 alphanumeric characters, so its calls get those. */
    private static String newId(Format format) {
        String hex = UUID.randomUUID().toString().replace("-", "");
        return format == Format.MISTRAL ? hex.substring(0, 9) : "call_" + hex.substring(0, 24);
    }

    /** OpenAI's tool_calls array; with index fields for streamed deltas. */
    static ArrayNode toJson(List<Call> calls, boolean withIndex) {
        ArrayNode array = JsonFields.MAPPER.createArrayNode();
        for (int i = 0; i < calls.size(); i++) {
            Call c = calls.get(i);
            ObjectNode node = array.addObject();
            if (withIndex) node.put("index", i);
            node.put("id", c.id()).put("type", "function");
            node.putObject("function").put("name", c.name()).put("arguments", c.arguments());
        }
        return array;
    }
}
