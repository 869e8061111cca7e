package dev.strata.sample.grammar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** Random schemas of the supported subset, and an independent validator for it (the test oracle). */
public final class JsonSchemaSubset {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonSchemaSubset() {}

    /** A random object schema, nesting at most depth levels; strings and arrays are bounded so decoding ends. */
    public static ObjectNode randomObject(SplittableRandom r, int depth) {
        ObjectNode schema = MAPPER.createObjectNode().put("type", "object");
        ObjectNode props = schema.putObject("properties");
        ArrayNode required = MAPPER.createArrayNode();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            String name = (r.nextInt(5) == 0 ? "k é\"" : "p") + i;
            props.set(name, randomValue(r, depth - 1));
            if (r.nextInt(3) > 0) required.add(name);
        }
        if (!required.isEmpty()) schema.set("required", required);
        schema.put("additionalProperties", false);
        return schema;
    }

    public static JsonNode randomValue(SplittableRandom r, int depth) {
        int kind = r.nextInt(depth > 0 ? 11 : 8);
        ObjectNode s = MAPPER.createObjectNode();
        switch (kind) {
            case 0 -> {
                s.put("type", "string").put("maxLength", 1 + r.nextInt(8));
                if (r.nextBoolean()) s.put("minLength", 1);
            }
            case 1 -> s.put("type", "integer");
            case 2 -> s.put("type", "number");
            case 3 -> s.put("type", "boolean");
            case 4 -> s.put("type", "null");
            case 5 -> s.putArray("enum").add("red").add("grün").add(42).add(true).addNull();
            case 6 -> s.put("const", r.nextBoolean() ? "fixed \"v\"" : "7");
            case 7 -> {
                s.putArray("type").add("integer").add("null");
            }
            case 8 -> s.set("anyOf", MAPPER.createArrayNode().add(randomValue(r, 0)).add(randomValue(r, 0)));
            case 9 -> {
                s.put("type", "array").set("items", randomValue(r, depth - 1));
                s.put("minItems", r.nextInt(2)).put("maxItems", 1 + r.nextInt(3));
            }
            default -> {
                return randomObject(r, depth - 1);
            }
        }
        return s;
    }

    /** Null when value satisfies schema, else why not. */
    public static String violation(JsonNode value, JsonNode schema, String path) {
        if (schema.has("const")) return schema.get("const").equals(value) ? null : path + ": not the const";
        if (schema.has("enum")) {
            for (JsonNode e : schema.get("enum")) if (e.equals(value)) return null;
            return path + ": not in enum";
        }
        if (schema.has("anyOf")) {
            for (JsonNode sub : schema.get("anyOf")) if (violation(value, sub, path) == null) return null;
            return path + ": matches no anyOf branch";
        }
        JsonNode type = schema.get("type");
        if (type != null && type.isArray()) {
            for (JsonNode t : type) if (typeMatches(value, t.asText())) return null;
            return path + ": type not in " + type;
        }
        String t = type.asText();
        if (!typeMatches(value, t)) return path + ": not a " + t;
        switch (t) {
            case "string" -> {
                int len = value.asText().codePointCount(0, value.asText().length());
                if (len < schema.path("minLength").asInt(0) || len > schema.path("maxLength").asInt(Integer.MAX_VALUE)) return path + ": length " + len;
            }
            case "array" -> {
                if (value.size() < schema.path("minItems").asInt(0) || value.size() > schema.path("maxItems").asInt(Integer.MAX_VALUE)) {
                    return path + ": " + value.size() + " items";
                }
                for (int i = 0; i < value.size(); i++) {
                    String v = violation(value.get(i), schema.get("items"), path + "[" + i + "]");
                    if (v != null) return v;
                }
            }
            case "object" -> {
                JsonNode props = schema.path("properties");
                for (JsonNode req : schema.path("required")) if (!value.has(req.asText())) return path + ": missing " + req;
                Set<String> seen = new HashSet<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!seen.add(e.getKey())) return path + ": duplicate " + e.getKey();
                    if (!props.has(e.getKey())) return path + ": unexpected property " + e.getKey();
                    String v = violation(e.getValue(), props.get(e.getKey()), path + "." + e.getKey());
                    if (v != null) return v;
                }
            }
            default -> { }
        }
        return null;
    }

    private static boolean typeMatches(JsonNode v, String type) {
        return switch (type) {
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            case "array" -> v.isArray();
            case "object" -> v.isObject();
            default -> false;
        };
    }
}
