package dev.strata.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Typed reads of request fields; a wrong type is a 400 naming the field. Absent and null mean "not given". */
final class JsonFields {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonFields() {}

    static ObjectNode parseObject(String body) {
        JsonNode node;
        try {
            node = MAPPER.readTree(body == null ? "" : body);
        } catch (Exception e) {
            throw ApiException.invalidRequest("The request body is not valid JSON", null);
        }
        if (node == null || !node.isObject()) throw ApiException.invalidRequest("The request body must be a JSON object", null);
        return (ObjectNode) node;
    }

    static boolean given(JsonNode body, String name) {
        JsonNode v = body.get(name);
        return v != null && !v.isNull();
    }

    static Double number(JsonNode body, String name) {
        if (!given(body, name)) return null;
        JsonNode v = body.get(name);
        if (!v.isNumber()) throw ApiException.invalidRequest("'" + name + "' must be a number", name);
        return v.asDouble();
    }

    static Long integer(JsonNode body, String name) {
        if (!given(body, name)) return null;
        JsonNode v = body.get(name);
        if (!v.isNumber() || !(v.isIntegralNumber() || v.asDouble() == Math.rint(v.asDouble())) || !v.canConvertToLong()) {
            throw ApiException.invalidRequest("'" + name + "' must be an integer", name);
        }
        return v.asLong();
    }

    static Boolean bool(JsonNode body, String name) {
        if (!given(body, name)) return null;
        JsonNode v = body.get(name);
        if (!v.isBoolean()) throw ApiException.invalidRequest("'" + name + "' must be a boolean", name);
        return v.asBoolean();
    }

    static String string(JsonNode body, String name) {
        if (!given(body, name)) return null;
        JsonNode v = body.get(name);
        if (!v.isTextual()) throw ApiException.invalidRequest("'" + name + "' must be a string", name);
        return v.asText();
    }

    /** A string or an array of strings, as OpenAI's "stop" takes. */
    static List<String> stringOrArray(JsonNode body, String name, int maxEntries) {
        if (!given(body, name)) return List.of();
        JsonNode v = body.get(name);
        List<String> out = new ArrayList<>();
        if (v.isTextual()) {
            out.add(v.asText());
        } else if (v.isArray()) {
            for (JsonNode e : v) {
                if (!e.isTextual()) throw ApiException.invalidRequest("'" + name + "' must be a string or an array of strings", name);
                out.add(e.asText());
            }
        } else {
            throw ApiException.invalidRequest("'" + name + "' must be a string or an array of strings", name);
        }
        if (out.size() > maxEntries) throw ApiException.invalidRequest("'" + name + "' takes at most " + maxEntries + " entries", name);
        out.removeIf(String::isEmpty);
        return out;
    }
}
