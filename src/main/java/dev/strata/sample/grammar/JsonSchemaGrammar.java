package dev.strata.sample.grammar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.StrataException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schema to GBNF, following llama.cpp's {@code json_schema_to_grammar}: the same primitive rules
 * (numbers of at most 16 integral digits, escaped string characters, the {@code space} rule), required
 * properties in order followed by any in-order subset of the optional ones, and no extra properties unless
 * {@code additionalProperties} allows them. Supported: type (also as a list), object/properties/required/
 * additionalProperties, array/items/minItems/maxItems, string minLength/maxLength, number, integer,
 * boolean, null, enum, const, anyOf/oneOf, local {@code $ref}. Any other constraint is refused rather than
 * ignored, so the output never silently violates the schema.
 */
public final class JsonSchemaGrammar {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SPACE = "| \" \" | \"\\n\"{1,2} [ \\t]{0,20}";
    private static final Map<String, String> PRIMITIVES = new LinkedHashMap<>();
    private static final Map<String, List<String>> PRIMITIVE_DEPS = Map.of(
            "number", List.of("integral-part", "decimal-part"), "integer", List.of("integral-part"),
            "string", List.of("char"), "object", List.of("string", "value"), "array", List.of("value"),
            "value", List.of("object", "array", "string", "number", "boolean", "null"));
    /** Keywords that only annotate and never constrain. */
    private static final Set<String> ANNOTATIONS = Set.of("title", "description", "$schema", "$id", "$comment", "default",
            "examples", "$defs", "definitions", "deprecated", "readOnly", "writeOnly");
    private static final Set<String> HANDLED = Set.of("type", "properties", "required", "additionalProperties", "items",
            "minItems", "maxItems", "minLength", "maxLength", "enum", "const", "anyOf", "oneOf", "$ref");

    static {
        PRIMITIVES.put("boolean", "(\"true\" | \"false\") space");
        PRIMITIVES.put("decimal-part", "[0-9]{1,16}");
        PRIMITIVES.put("integral-part", "[0] | [1-9] [0-9]{0,15}");
        PRIMITIVES.put("number", "(\"-\"? integral-part) (\".\" decimal-part)? ([eE] [-+]? integral-part)? space");
        PRIMITIVES.put("integer", "(\"-\"? integral-part) space");
        PRIMITIVES.put("value", "object | array | string | number | boolean | null");
        PRIMITIVES.put("object", "\"{\" space ( string \":\" space value (\",\" space string \":\" space value)* )? \"}\" space");
        PRIMITIVES.put("array", "\"[\" space ( value (\",\" space value)* )? \"]\" space");
        PRIMITIVES.put("char", "[^\"\\\\\\x7F\\x00-\\x1F] | [\\\\] ([\"\\\\bfnrt] | \"u\" [0-9a-fA-F]{4})");
        PRIMITIVES.put("string", "\"\\\"\" char* \"\\\"\" space");
        PRIMITIVES.put("null", "\"null\" space");
    }

    private final JsonNode root;
    private final Map<String, String> rules = new LinkedHashMap<>();
    private final Map<String, String> refRules = new LinkedHashMap<>();

    private JsonSchemaGrammar(JsonNode root) {
        this.root = root;
        rules.put("space", SPACE);
    }

    /** GBNF text for a JSON schema; a StrataException names any unsupported keyword. */
    public static String toGbnf(JsonNode schema) {
        JsonSchemaGrammar converter = new JsonSchemaGrammar(schema);
        converter.rules.put("root", converter.visit(schema, "root"));
        return converter.render();
    }

    private String render() {
        StringBuilder out = new StringBuilder();
        rules.forEach((name, body) -> out.append(name).append(" ::= ").append(body).append('\n'));
        return out.toString();
    }

    /**
     * GBNF whose root is {@code rootBody}, a GBNF expression that refers to the schema's value as the rule
     * {@code valueRule} (e.g. a literal prefix, the value, a literal suffix).
     */
    public static String toGbnf(JsonNode schema, String valueRule, String rootBody) {
        JsonSchemaGrammar converter = new JsonSchemaGrammar(schema);
        String body = converter.visit(schema, valueRule);
        converter.rules.put(valueRule, body);
        converter.rules.put("root", rootBody);
        return converter.render();
    }

    public static String toGbnf(String schemaJson) {
        try {
            return toGbnf(MAPPER.readTree(schemaJson));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new StrataException("json schema: not valid JSON");
        }
    }

    /** The grammar for any JSON object ({@code response_format: json_object}). */
    public static String anyObject() {
        return toGbnf(MAPPER.createObjectNode().put("type", "object"));
    }

    /** A rule body (GBNF expression) matching the schema; helper rules are added under names starting with name. */
    private String visit(JsonNode schema, String name) {
        if (schema.isBoolean()) {
            if (!schema.asBoolean()) throw new StrataException("json schema: 'false' matches nothing");
            return primitive("value");
        }
        if (!schema.isObject()) throw new StrataException("json schema at '" + name + "' must be an object");
        for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!HANDLED.contains(key) && !ANNOTATIONS.contains(key)) {
                throw new StrataException("json schema: unsupported keyword '" + key + "' at '" + name + "'");
            }
        }
        if (schema.has("$ref")) return ref(schema.get("$ref").asText());
        if (schema.has("const")) return literal(schema.get("const")) + " space";
        if (schema.has("enum")) {
            List<String> options = new ArrayList<>();
            for (JsonNode v : schema.get("enum")) options.add(literal(v));
            if (options.isEmpty()) throw new StrataException("json schema: empty 'enum' at '" + name + "'");
            return "(" + String.join(" | ", options) + ") space";
        }
        for (String key : List.of("anyOf", "oneOf")) {
            if (schema.has(key)) {
                List<String> options = new ArrayList<>();
                int i = 0;
                for (JsonNode sub : schema.get(key)) options.add(rule(name + "-" + i, visit(sub, name + "-" + i++)));
                return String.join(" | ", options);
            }
        }
        JsonNode type = schema.get("type");
        if (type != null && type.isArray()) {
            List<String> options = new ArrayList<>();
            for (JsonNode t : type) {
                ObjectNode single = ((ObjectNode) schema).deepCopy();
                single.set("type", t);
                options.add(rule(name + "-" + t.asText(), visit(single, name + "-" + t.asText())));
            }
            return String.join(" | ", options);
        }
        String t = type == null ? inferType(schema) : type.asText();
        return switch (t) {
            case "object" -> object(schema, name);
            case "array" -> array(schema, name);
            case "string" -> string(schema);
            case "number", "integer", "boolean", "null" -> primitive(t);
            case "any" -> primitive("value");
            default -> throw new StrataException("json schema: unknown type '" + t + "' at '" + name + "'");
        };
    }

    private static String inferType(JsonNode schema) {
        if (schema.has("properties") || schema.has("additionalProperties") || schema.has("required")) return "object";
        if (schema.has("items") || schema.has("minItems") || schema.has("maxItems")) return "array";
        if (schema.has("minLength") || schema.has("maxLength")) return "string";
        return "any";
    }

    private String object(JsonNode schema, String name) {
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        if (properties.isMissingNode() || properties.isEmpty()) {
            if (additional == null || (additional.isBoolean() && additional.asBoolean())) {
                if (properties.isMissingNode()) return primitive("object");
            }
        }
        Set<String> required = new java.util.HashSet<>();
        for (JsonNode r : schema.path("required")) required.add(r.asText());
        Map<String, String> kv = new LinkedHashMap<>();
        List<String> requiredNames = new ArrayList<>();
        List<String> optionalNames = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            String propRule = rule(name + "-" + p.getKey(), visit(p.getValue(), name + "-" + p.getKey()));
            kv.put(p.getKey(), rule(name + "-" + p.getKey() + "-kv", literal(MAPPER.getNodeFactory().textNode(p.getKey()))
                    + " space \":\" space " + propRule));
            (required.contains(p.getKey()) ? requiredNames : optionalNames).add(p.getKey());
        }
        for (String r : required) {
            if (!kv.containsKey(r)) throw new StrataException("json schema: required property '" + r + "' is not in 'properties' at '" + name + "'");
        }
        if (additional != null && !(additional.isBoolean() && !additional.asBoolean())) {
            String valueRule = additional.isBoolean() ? primitive("value") : rule(name + "-additional-value", visit(additional, name + "-additional-value"));
            kv.put("*", rule(name + "-additional-kv", primitive("string") + " \":\" space " + valueRule));
            optionalNames.add("*");
        }
        StringBuilder body = new StringBuilder("\"{\" space ");
        List<String> requiredRefs = requiredNames.stream().map(kv::get).toList();
        body.append(String.join(" \",\" space ", requiredRefs));
        if (!optionalNames.isEmpty()) {
            body.append(" (");
            if (!requiredNames.isEmpty()) body.append(" \",\" space ( ");
            List<String> options = new ArrayList<>();
            for (int i = 0; i < optionalNames.size(); i++) options.add(optionalChain(optionalNames.subList(i, optionalNames.size()), false, kv, name));
            body.append(String.join(" | ", options));
            if (!requiredNames.isEmpty()) body.append(" )");
            body.append(" )?");
        }
        return body.append(" \"}\" space").toString();
    }

    /** llama.cpp's get_recursive_refs: the first optional property present, then any in-order subset of the rest. */
    private String optionalChain(List<String> keys, boolean firstIsOptional, Map<String, String> kv, String name) {
        String k = keys.get(0);
        String kvRule = kv.get(k);
        String commaRef = "( \",\" space " + kvRule + " )";
        String res = firstIsOptional ? commaRef + (k.equals("*") ? "*" : "?") : kvRule + (k.equals("*") ? " " + commaRef + "*" : "");
        if (keys.size() > 1) {
            res += " " + rule(name + "-" + k + "-rest", optionalChain(keys.subList(1, keys.size()), true, kv, name));
        }
        return res;
    }

    private String array(JsonNode schema, String name) {
        JsonNode items = schema.get("items");
        if (items != null && items.isArray()) throw new StrataException("json schema: tuple 'items' (an array) is not supported at '" + name + "'");
        String item = items == null ? primitive("value") : rule(name + "-item", visit(items, name + "-item"));
        int min = schema.path("minItems").asInt(0);
        int max = schema.has("maxItems") ? schema.get("maxItems").asInt() : -1;
        if (max >= 0 && max < min) throw new StrataException("json schema: maxItems < minItems at '" + name + "'");
        if (max == 0) return "\"[\" space \"]\" space";
        String rest = "(\",\" space " + item + ")" + repetition(Math.max(min - 1, 0), max < 0 ? -1 : max - 1);
        String list = item + " " + rest;
        return "\"[\" space " + (min == 0 ? "( " + list + " )?" : list) + " \"]\" space";
    }

    private String string(JsonNode schema) {
        primitive("char");
        int min = schema.path("minLength").asInt(0);
        int max = schema.has("maxLength") ? schema.get("maxLength").asInt() : -1;
        if (max >= 0 && max < min) throw new StrataException("json schema: maxLength < minLength");
        if (min == 0 && max < 0) return primitive("string");
        return "\"\\\"\" char" + repetition(min, max) + " \"\\\"\" space";
    }

    private static String repetition(int min, int max) {
        if (max < 0) return min == 0 ? "*" : min == 1 ? "+" : "{" + min + ",}";
        return min == max ? "{" + min + "}" : "{" + min + "," + max + "}";
    }

    private String ref(String ref) {
        String prefix = ref.startsWith("#/$defs/") ? "#/$defs/" : ref.startsWith("#/definitions/") ? "#/definitions/" : null;
        if (prefix == null) throw new StrataException("json schema: only local '#/$defs/...' references are supported, got '" + ref + "'");
        String defName = ref.substring(prefix.length());
        String ruleName = refRules.get(ref);
        if (ruleName != null) return ruleName;
        JsonNode target = root.path(prefix.substring(2, prefix.length() - 1)).path(defName);
        if (target.isMissingNode()) throw new StrataException("json schema: unresolved reference '" + ref + "'");
        ruleName = uniqueName("ref-" + sanitize(defName));
        refRules.put(ref, ruleName);
        rules.put(ruleName, "");
        rules.put(ruleName, visit(target, ruleName));
        return ruleName;
    }

    private String primitive(String name) {
        if (!rules.containsKey(name)) {
            rules.put(name, PRIMITIVES.get(name));
            for (String dep : PRIMITIVE_DEPS.getOrDefault(name, List.of())) primitive(dep);
        }
        return name;
    }

    /** Adds a rule and returns its name; an identical existing rule is reused. */
    private String rule(String name, String body) {
        String base = sanitize(name);
        if (body.equals(rules.get(base))) return base;
        if (PRIMITIVES.containsKey(body) && body.equals(primitive(body))) return body;
        String unique = uniqueName(base);
        rules.put(unique, body);
        return unique;
    }

    private String uniqueName(String base) {
        String unique = base;
        for (int i = 1; rules.containsKey(unique); i++) unique = base + i;
        return unique;
    }

    private static String sanitize(String name) {
        String s = name.replaceAll("[^a-zA-Z0-9-]+", "-");
        return s.isEmpty() ? "r" : s;
    }

    /** A JSON value's serialization as a GBNF string literal. */
    static String literal(JsonNode value) {
        return textLiteral(value.toString());
    }

    /** Raw text as a GBNF string literal. */
    public static String textLiteral(String json) {
        StringBuilder out = new StringBuilder("\"");
        json.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F) out.append(String.format("\\x%02X", c));
                    else out.appendCodePoint(c);
                }
            }
        });
        return out.append('"').toString();
    }
}
