package dev.strata.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.StrataException;
import dev.strata.sample.grammar.Grammar;
import dev.strata.sample.grammar.JsonSchemaGrammar;

/**
 * The output constraint a request asks for: OpenAI's {@code response_format} (json_object, json_schema) or
 * llama.cpp's {@code grammar} (GBNF) and {@code json_schema}. At most one of them may be given.
 */
final class StructuredOutput {
    private StructuredOutput() {}

    /** A compiled grammar and the field it came from; null when the output is free text. */
    record Constraint(Grammar grammar, String param) {}

    static Constraint parse(JsonNode body) {
        Constraint found = null;
        if (JsonFields.given(body, "response_format")) found = responseFormat(body.get("response_format"));
        if (JsonFields.given(body, "grammar")) {
            if (found != null) throw conflict("grammar");
            String gbnf = JsonFields.string(body, "grammar");
            found = compile(gbnf, "grammar");
        }
        if (JsonFields.given(body, "json_schema")) {
            if (found != null) throw conflict("json_schema");
            JsonNode schema = body.get("json_schema");
            if (!schema.isObject()) throw ApiException.invalidRequest("'json_schema' must be a JSON schema object", "json_schema");
            found = fromSchema(schema, "json_schema");
        }
        return found;
    }

    private static Constraint responseFormat(JsonNode format) {
        String param = "response_format";
        if (!format.isObject() || !format.path("type").isTextual()) {
            throw ApiException.invalidRequest("'response_format' must be an object with a 'type'", param);
        }
        return switch (format.get("type").asText()) {
            case "text" -> null;
            case "json_object" -> compile(JsonSchemaGrammar.anyObject(), param);
            case "json_schema" -> {
                JsonNode spec = format.path("json_schema");
                if (!spec.isObject() || !spec.path("name").isTextual()) {
                    throw ApiException.invalidRequest("'response_format.json_schema' must be an object with a 'name'", "response_format.json_schema");
                }
                JsonNode schema = spec.path("schema");
                if (schema.isMissingNode() || schema.isNull()) {
                    throw ApiException.invalidRequest("'response_format.json_schema.schema' is required", "response_format.json_schema.schema");
                }
                yield fromSchema(schema, "response_format.json_schema.schema");
            }
            default -> throw ApiException.invalidRequest("'response_format.type' must be text, json_object or json_schema, got '"
                    + format.get("type").asText() + "'", "response_format.type");
        };
    }

    static Constraint fromSchema(JsonNode schema, String param) {
        String gbnf;
        try {
            gbnf = JsonSchemaGrammar.toGbnf(schema);
        } catch (StrataException e) {
            throw ApiException.invalidRequest(e.getMessage(), param);
        }
        return compile(gbnf, param);
    }

    static Constraint compile(String gbnf, String param) {
        try {
            return new Constraint(Grammar.parse(gbnf), param);
        } catch (StrataException e) {
            throw ApiException.invalidRequest(e.getMessage(), param);
        }
    }

    private static ApiException conflict(String param) {
        return ApiException.invalidRequest("Give only one of 'response_format', 'grammar' and 'json_schema'", param);
    }
}
